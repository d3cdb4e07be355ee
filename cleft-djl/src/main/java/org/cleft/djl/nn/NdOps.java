package org.cleft.djl.nn;

import ai.djl.ndarray.NDArray;

/** Scalar arithmetic on DJL arrays that autograd can differentiate safely. */
public final class NdOps {
  private NdOps() {}

  /**
   * A scalar tensor beside {@code like} (same manager and device), owned by the current scope.
   *
   * <p>Why not {@code x.mul(float)}: DJL's number overloads create the scalar tensor over a Java
   * direct buffer and close it right after the forward op, but autograd saves that tensor for the
   * backward pass of {@code mul}, {@code div}, {@code pow} and {@code maximum}; once the garbage
   * collector frees the buffer, the backward pass reads freed memory and the gradients become
   * garbage (seen as NaN or 1e30 gradients after tens of steps). A scalar created here stays alive
   * until its scope (a training step, an encoder call) closes, after the backward pass.
   *
   * @param like an array whose manager and device the scalar shares
   * @param value the value
   * @return a 0-d float32 array
   */
  public static NDArray scalar(NDArray like, double value) {
    return like.getManager().create((float) value).toDevice(like.getDevice(), false);
  }

  /**
   * {@code x * value}, safe for autograd (see {@link #scalar}).
   *
   * @param x the array
   * @param value the factor
   * @return {@code x * value}
   */
  public static NDArray mul(NDArray x, double value) {
    return x.mul(scalar(x, value));
  }

  /**
   * {@code x / value}, safe for autograd (see {@link #scalar}).
   *
   * @param x the array
   * @param value the divisor
   * @return {@code x / value}
   */
  public static NDArray div(NDArray x, double value) {
    return x.div(scalar(x, value));
  }

  /**
   * Converts a 2-D float array to a Java matrix.
   *
   * @param a a 2-D float32 array
   * @return its values, one Java row per array row
   */
  public static float[][] toMatrix(NDArray a) {
    long[] s = a.getShape().getShape();
    float[] flat = a.toFloatArray();
    int rows = (int) s[0];
    int cols = (int) (flat.length / Math.max(rows, 1));
    float[][] out = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }
}
