package org.cleft.model;

import java.util.List;

/**
 * The op set every engine implements, over its own tensor handle {@code T} ({@code NDArray} on DJL, a graph node on
 * the ONNX exporter), so that the towers, the adapters and the heads are written once and run, or exported, by every
 * engine (as Keras 3 writes a model once over {@code keras.ops}). Instances are immutable; {@link #scope(String)}
 * gives the ops that name what they create under a scope, for engines that build named graphs (TF Java's
 * {@code withSubScope}).
 *
 * <p>The numerics are PyTorch's: an op has the meaning of the {@code torch} function it names. Ops that depend on a
 * tensor's runtime size (the batch, the sequence length) are written so that a static graph can express them without
 * knowing those sizes: {@link #reshape} keeps a dimension given as 0, {@link #expandBatch} and {@link #positionIds}
 * read the size from another tensor.
 *
 * @param <T> the engine's tensor handle
 */
public interface Ops<T> {

  /**
   * {@return these ops naming what they create under {@code name} (ignored by engines without named graphs)}
   *
   * @param name the scope, e.g. a HuggingFace module path such as {@code h.0.attn}
   */
  Ops<T> scope(String name);

  /**
   * {@return {@code a + b}, broadcasting}
   *
   * @param a a tensor
   * @param b a tensor
   */
  T add(T a, T b);

  /**
   * {@return {@code a * b}, element-wise, broadcasting}
   *
   * @param a a tensor
   * @param b a tensor
   */
  T mul(T a, T b);

  /**
   * {@return {@code x * factor}}
   *
   * @param x a tensor
   * @param factor the factor
   */
  T scale(T x, double factor);

  /**
   * {@return {@code x + value}}
   *
   * @param x a tensor
   * @param value the value added to every element
   */
  T offset(T x, double value);

  /**
   * {@return {@code torch.matmul(a, b)}: the product over the last two axes, batch axes broadcast}
   *
   * @param a [..., n, k]
   * @param b [..., k, m]
   */
  T matmul(T a, T b);

  /**
   * {@return {@code exp(x)}}
   *
   * @param x a tensor
   */
  T exp(T x);

  /**
   * {@return {@code x @ W^T + b}, {@code torch.nn.Linear}'s forward, whatever layout the engine keeps the weight in}
   *
   * @param x the input [..., in]
   * @param layer the layer's weights ({@link Weights#linear}, {@link Weights#conv1d})
   */
  T linear(T x, Linear<T> layer);

  /**
   * {@return {@code torch.nn.functional.layer_norm} over the last axis}
   *
   * @param x the input
   * @param gamma the scale [width]
   * @param beta the shift [width]
   * @param eps added to the variance
   */
  T layerNorm(T x, T gamma, T beta, double eps);

  /**
   * {@return RMSNorm over the last axis, as HF's {@code LlamaRMSNorm} computes it in float32:
   * {@code weight * x * rsqrt(mean(x^2) + eps)}}
   *
   * @param x the input
   * @param weight the scale [width]
   * @param eps added to the mean square
   */
  T rmsNorm(T x, T weight, double eps);

  /**
   * {@return the softmax over the last axis}
   *
   * @param x the input
   */
  T softmax(T x);

  /**
   * {@return the exact GELU, {@code 0.5 x (1 + erf(x / sqrt 2))}}
   *
   * @param x the input
   */
  T gelu(T x);

  /**
   * {@return {@code tanh(x)}}
   *
   * @param x the input
   */
  T tanh(T x);

  /**
   * {@return {@code sigmoid(x)}}
   *
   * @param x the input
   */
  T sigmoid(T x);

  /**
   * {@return {@code max(x, 0)}}
   *
   * @param x the input
   */
  T relu(T x);

  /**
   * {@return {@code x} with dropout of probability {@code p} when the engine trains, else {@code x} itself}
   *
   * @param x the input
   * @param p the probability of dropping an element
   */
  T dropout(T x, double p);

  /**
   * {@return the patch embedding: a 2-D convolution with stride equal to its kernel, no padding:
   * [batch, channels, h, w] to [batch, out, h / patch, w / patch]}
   *
   * @param pixels the images
   * @param weight [out, channels, patch, patch]
   * @param bias [out]
   * @param patch the kernel size and stride
   */
  T patchConv(T pixels, T weight, T bias, int patch);

  /**
   * {@return {@code table[ids]}: the rows of a table, [..., width] for integer ids [...]}
   *
   * @param table [rows, width]
   * @param ids integer ids
   */
  T embedding(T table, T ids);

  /**
   * {@return {@code x} with another shape; a 0 keeps that dimension of {@code x}, one -1 is inferred}
   *
   * @param x the input
   * @param shape the new shape
   */
  T reshape(T x, long... shape);

  /**
   * {@return {@code x.permute(perm)}}
   *
   * @param x the input
   * @param perm the permutation of the axes
   */
  T transpose(T x, int... perm);

  /**
   * {@return {@code x.chunk(parts, dim=-1)}: equal parts along the last axis}
   *
   * @param x the input
   * @param parts number of parts
   */
  List<T> split(T x, int parts);

  /**
   * {@return the tensors joined along {@code axis}}
   *
   * @param axis the axis
   * @param parts the tensors, equal in every other axis
   */
  T concat(int axis, List<T> parts);

  /**
   * {@return {@code x[..., start:end, ...]} along {@code axis} (static bounds)}
   *
   * @param x the input
   * @param axis the axis
   * @param start the first index
   * @param end one past the last index
   */
  T slice(T x, int axis, long start, long end);

  /**
   * {@return {@code x} [1, ...] repeated to the batch size of {@code like} (its first axis)}
   *
   * @param x a tensor whose first axis is 1
   * @param like a tensor with the batch size
   */
  T expandBatch(T x, T like);

  /**
   * {@return a float32 constant, on the device of {@code like} (eager engines)}
   *
   * @param like a tensor the constant is used with
   * @param shape its shape
   * @param values its values, row-major
   */
  T constant(T like, long[] shape, float[] values);

  /**
   * {@return the integer positions {@code offset, offset + 1, ...}, one per index of {@code like}'s axis
   * {@code axis}: [n]}
   *
   * @param like the tensor whose axis gives the count (the token ids, for a sequence)
   * @param axis its axis
   * @param offset the first position
   * @param limit the number of positions the model has
   * @throws IllegalArgumentException on an eager engine, when {@code offset + n} exceeds {@code limit}
   */
  T positionIds(T like, int axis, long offset, long limit);

  /**
   * {@return which keys each query may attend to under a causal mask over right-padded sequences with {@code past}
   * keys in front (a learned prefix, always visible), broadcastable to [batch, heads, seq, past + seq], in the form
   * {@link #maskScores} takes}
   *
   * @param mask the attention mask [batch, seq], 1 for real tokens
   * @param past number of keys before the sequence
   */
  T causalMask(T mask, int past);

  /**
   * {@return attention scores with every disallowed position set to {@code torch.finfo(float32).min}, as
   * HuggingFace masks them}
   *
   * @param scores [batch, heads, seq, keys]
   * @param allowed from {@link #causalMask}
   */
  T maskScores(T scores, T allowed);

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
