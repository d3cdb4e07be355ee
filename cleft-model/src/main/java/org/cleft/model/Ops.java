package org.cleft.model;

/**
 * The op set every engine implements, over its own tensor handle {@code T} ({@code NDArray} on DJL, a graph node on
 * the ONNX exporter), so that a part of the model is written once and run, or exported, by every engine (as Keras 3
 * writes a model once over {@code keras.ops}). Instances are immutable; {@link #scope(String)} gives the ops that
 * name what they create under a scope, for engines that build named graphs (TF Java's {@code withSubScope}).
 *
 * <p>The set grows with the parts written against it; today: what the CLEFT heads and the poolings need. Ops that
 * depend on a tensor's runtime shape (the batch, the sequence length) are written so that a static graph can express
 * them without knowing those sizes.
 *
 * @param <T> the engine's tensor handle
 */
public interface Ops<T> {

  /**
   * {@return these ops naming what they create under {@code name} (ignored by engines without named graphs)}
   *
   * @param name the scope, e.g. a HuggingFace module path such as {@code image_projection}
   */
  Ops<T> scope(String name);

  /**
   * {@return {@code x @ W^T + b}, {@code torch.nn.Linear}'s forward}
   *
   * @param x the input [..., in]
   * @param layer the layer's weights, in the engine's layout ({@link Weights#linear})
   */
  T linear(T x, Linear<T> layer);

  /**
   * {@return {@code torch.nn.functional.normalize(x, dim=-1)}: rows divided by {@code max(||x||, 1e-12)}}
   *
   * @param x the input
   */
  T l2Normalize(T x);

  /**
   * {@return the mean over {@code axis}, which is dropped}
   *
   * @param x the input
   * @param axis the axis to average over
   */
  T mean(T x, int axis);

  /**
   * {@return for each row {@code b} of a batch, {@code x[b, index[b], :]}: [batch, width] from [batch, seq, width]}
   * (a static graph gathers without knowing the batch or the sequence length)
   *
   * @param x the per-token states [batch, seq, width]
   * @param index one position per row [batch], integer
   * @throws IllegalArgumentException on an eager engine, when an index is outside the sequence
   */
  T tokenAt(T x, T index);

  /**
   * {@return for each row of an attention mask [batch, seq] (1 for real tokens, right padded), the position of its
   * last real token, {@code sum(mask) - 1}: [batch], integer}
   *
   * @param mask the attention mask
   */
  T lastPosition(T mask);
}
