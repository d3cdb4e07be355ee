package org.cleft.model;

import java.util.List;

/** HuggingFace's activations ({@code ACT2FN}) that cleft's towers accept, by name, written once over the op set. */
public final class Activations {
  /** The names {@link #apply} knows. */
  public static final List<String> SUPPORTED = List.of("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu",
      "silu", "swish", "quick_gelu", "tanh");
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

  private Activations() {}

  /**
   * Checks that {@link #apply} knows {@code name}.
   *
   * @param name the activation's name
   * @throws IllegalArgumentException naming the activation and the supported ones
   */
  public static void check(String name) {
    if (!SUPPORTED.contains(name)) {
      throw new IllegalArgumentException("activation '" + name + "' is not supported (supported: "
          + String.join(", ", SUPPORTED) + ")");
    }
  }

  /**
   * {@return the activation {@code name} of {@code x}}
   *
   * @param <T> the engine's tensor handle
   * @param ops the engine's ops
   * @param name the activation's HF name, e.g. {@code gelu_new}
   * @param x the input
   * @throws IllegalArgumentException for a name {@link #check} refuses
   */
  public static <T> T apply(Ops<T> ops, String name, T x) {
    check(name);
    return switch (name) {
      case "gelu" -> ops.gelu(x);
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> geluTanh(ops, x);
      case "relu" -> ops.relu(x);
      case "silu", "swish" -> silu(ops, x);
      case "quick_gelu" -> ops.mul(x, ops.sigmoid(ops.scale(x, 1.702)));
      default -> ops.tanh(x);
    };
  }

  /**
   * {@return {@code x * sigmoid(x)}}
   *
   * @param <T> the engine's tensor handle
   * @param ops the engine's ops
   * @param x the input
   */
  public static <T> T silu(Ops<T> ops, T x) {
    return ops.mul(x, ops.sigmoid(x));
  }

  /** GPT-2's {@code gelu_new}: {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}. */
  private static <T> T geluTanh(Ops<T> ops, T x) {
    T inner = ops.scale(ops.add(x, ops.scale(ops.mul(ops.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
    return ops.mul(ops.scale(x, 0.5), ops.offset(ops.tanh(inner), 1.0));
  }
}
