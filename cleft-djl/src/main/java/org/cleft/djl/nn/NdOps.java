package org.cleft.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/** Differentiable building blocks with the exact numerics of their PyTorch counterparts. */
public final class NdOps {
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

  private NdOps() {}

  /**
   * {@code torch.nn.functional.linear}: {@code x @ weight^T + bias}, weight [out, in].
   *
   * @param x the input [..., in]
   * @param weight the weight [out, in]
   * @param bias the bias [out]
   * @return the output [..., out]
   */
  public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    NDList out = Linear.linear(x, weight, bias);
    return out.singletonOrThrow();
  }

  /**
   * HF {@code Conv1D}: {@code x @ weight + bias}, weight [in, out] (GPT-2's layout).
   *
   * @param x the input [..., in]
   * @param weight the weight [in, out]
   * @param bias the bias [out]
   * @return the output [..., out]
   */
  public static NDArray conv1d(NDArray x, NDArray weight, NDArray bias) {
    NDArray y = x.matMul(weight);
    return bias == null ? y : y.add(bias);
  }

  /**
   * {@return layer norm over the last dimension}
   *
   * @param x the input
   * @param gamma the scale
   * @param beta the shift
   * @param eps added to the variance
   */
  public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
    long width = x.getShape().get(x.getShape().dimension() - 1);
    return LayerNorm.layerNorm(x, new Shape(width), gamma, beta, (float) eps).singletonOrThrow();
  }

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
   * {@return an activation by its HuggingFace name ({@code ACT2FN})}
   *
   * @param name the activation name, e.g. {@code gelu_new}
   * @param x the input
   */
  public static NDArray activation(String name, NDArray x) {
    return switch (name) {
      case "gelu" -> Activation.gelu(x);
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> geluTanh(x);
      case "relu" -> Activation.relu(x);
      case "silu", "swish" -> x.mul(Activation.sigmoid(x));
      case "quick_gelu" -> x.mul(Activation.sigmoid(mul(x, 1.702)));
      case "tanh" -> x.tanh();
      default -> throw new IllegalArgumentException("activation '" + name + "' is not supported (supported: "
          + "gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu, swish, quick_gelu, tanh)");
    };
  }

  /**
   * Checks that {@link #activation} knows {@code name}.
   *
   * @param name the activation name
   * @throws IllegalArgumentException naming the activation and the supported ones
   */
  public static void checkActivation(String name) {
    switch (name) {
      case "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu", "silu", "swish", "quick_gelu", "tanh" -> { }
      default -> throw new IllegalArgumentException("activation '" + name + "' is not supported (supported: "
          + "gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu, swish, quick_gelu, tanh)");
    }
  }

  /**
   * {@return the tanh approximation of GELU that GPT-2 uses ({@code gelu_new})}
   *
   * @param x the input
   */
  public static NDArray geluTanh(NDArray x) {
    NDArray inner = mul(x.add(mul(x.mul(x).mul(x), 0.044715)), SQRT_2_OVER_PI);
    return mul(x, 0.5).mul(inner.tanh().add(1f));
  }

  /**
   * {@return {@code torch.nn.functional.normalize(x, dim=-1)}: rows divided by max(L2 norm, 1e-12)}
   *
   * @param x the input
   */
  public static NDArray l2Normalize(NDArray x) {
    NDArray norm = x.square().sum(new int[] {-1}, true).sqrt().maximum(scalar(x, 1e-12));
    return x.div(norm);
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
