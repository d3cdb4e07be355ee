package org.cleft.api.train;

import java.util.Collection;

/**
 * The tensor operations an optimiser and the training loop need, which every training engine implements over its own
 * parameter handle {@code T}: in-place updates of parameters, gradients and optimiser state (PyTorch's {@code mul_},
 * {@code add_}, {@code addcmul_}, {@code addcdiv_}), and the few reads the loop makes (norms, finiteness). Written
 * against this, AdamW and SGD ({@link AdamW}, {@link Sgd}) have one implementation for every engine.
 *
 * @param <T> the engine's parameter handle
 */
public interface TensorUpdates<T> {

  /**
   * {@return the gradient of a parameter, or null when it has none (it took no part in the loss)}
   *
   * @param parameter the parameter
   */
  T gradient(T parameter);

  /**
   * {@return a new zero tensor of the parameter's shape, type and device, owned by the caller (optimiser state)}
   *
   * @param like the parameter
   */
  T zerosLike(T like);

  /**
   * {@return a new tensor of the parameter's shape and device holding {@code values} (restored optimiser state),
   * owned by the caller}
   *
   * @param values the values, row-major
   * @param like the parameter
   */
  T valuesLike(float[] values, T like);

  /**
   * {@return the values of a tensor, row-major}
   *
   * @param x the tensor
   */
  float[] values(T x);

  /**
   * {@return the shape of a tensor}
   *
   * @param x the tensor
   */
  long[] shape(T x);

  /**
   * {@code x *= factor}.
   *
   * @param x the tensor changed
   * @param factor the factor
   */
  void mul(T x, double factor);

  /**
   * {@code x /= divisor}.
   *
   * @param x the tensor changed
   * @param divisor the divisor
   */
  void div(T x, double divisor);

  /**
   * {@code x += value}.
   *
   * @param x the tensor changed
   * @param value the value added to every element
   */
  void add(T x, double value);

  /**
   * {@code x += factor * y}.
   *
   * @param x the tensor changed
   * @param y a tensor of the same shape
   * @param factor the factor
   */
  void addScaled(T x, T y, double factor);

  /**
   * {@code x += factor * y * z}, element-wise ({@code addcmul_}).
   *
   * @param x the tensor changed
   * @param y a tensor of the same shape
   * @param z a tensor of the same shape
   * @param factor the factor
   */
  void addProduct(T x, T y, T z, double factor);

  /**
   * {@code x -= factor * (y / z)}, element-wise ({@code addcdiv_} with a negative value).
   *
   * @param x the tensor changed
   * @param y the numerator
   * @param z the denominator
   * @param factor the factor
   */
  void subQuotient(T x, T y, T z, double factor);

  /**
   * {@return {@code sqrt(x)}, a new tensor released with the step}
   *
   * @param x the tensor
   */
  T sqrt(T x);

  /**
   * {@return {@code x + factor * y}, a new tensor released with the step}
   *
   * @param x a tensor
   * @param y a tensor of the same shape
   * @param factor the factor
   */
  T plusScaled(T x, T y, double factor);

  /**
   * Sets every element to 0 (a fill, so that NaN and infinities are cleared too).
   *
   * @param x the tensor changed
   */
  void zero(T x);

  /**
   * {@return the L2 norm of all the tensors together, {@code sqrt(sum of squares)} (an engine may read it once)}
   *
   * @param xs the tensors
   */
  double norm(Collection<T> xs);

  /**
   * {@return whether every element is finite}
   *
   * @param x the tensor
   */
  boolean isFinite(T x);

  /**
   * {@return the number of dimensions of a tensor (1-D parameters, biases and norms, get no weight decay)}
   *
   * @param x the tensor
   */
  default int rank(T x) {
    return shape(x).length;
  }

  /**
   * {@return the number of elements of a tensor}
   *
   * @param x the tensor
   */
  default long size(T x) {
    long n = 1;
    for (long d : shape(x)) {
      n *= d;
    }
    return n;
  }
}
