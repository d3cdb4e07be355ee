package org.cleft.model;

/**
 * The weights of a {@code torch.nn.Linear} as an engine holds them (the layout is the engine's: DJL keeps
 * {@code [out, in]}, the ONNX exporter a transposed initializer for {@code MatMul}).
 *
 * @param <T> the engine's tensor handle
 * @param weight the weight
 * @param bias the bias, or null for a layer without one
 */
public record Linear<T>(T weight, T bias) {
  /**
   * Checks the weight is there.
   *
   * @param weight the weight
   * @param bias the bias, or null
   * @throws IllegalArgumentException when the weight is null
   */
  public Linear {
    if (weight == null) {
      throw new IllegalArgumentException("a Linear needs its weight");
    }
  }
}
