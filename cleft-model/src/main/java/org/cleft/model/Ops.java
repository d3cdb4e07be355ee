package org.cleft.model;

/**
 * The op set every engine implements, over its own tensor handle {@code T} ({@code NDArray} on DJL, a graph node on
 * the ONNX exporter), so that a part of the model is written once and run, or exported, by every engine (as Keras 3
 * writes a model once over {@code keras.ops}). Instances are immutable; {@link #scope(String)} gives the ops that
 * name what they create under a scope, for engines that build named graphs (TF Java's {@code withSubScope}).
 *
 * <p>The set grows with the parts written against it; today: what the CLEFT heads need.
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
}
