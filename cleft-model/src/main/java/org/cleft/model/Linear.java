package org.cleft.model;

/**
 * The weights of a linear layer as an engine holds them: {@code torch.nn.Linear} keeps its weight [out, in], HF's
 * {@code Conv1D} (GPT-2) [in, out]; an engine may keep either (the ONNX exporter stores every weight [in, out], as
 * {@code MatMul} takes it), and says which.
 *
 * @param <T> the engine's tensor handle
 * @param weight the weight
 * @param bias the bias, or null for a layer without one
 * @param inputMajor whether {@code weight} is [in, out] rather than [out, in]
 */
public record Linear<T>(T weight, T bias, boolean inputMajor) {
  /**
   * Checks the weight is there.
   *
   * @param weight the weight
   * @param bias the bias, or null
   * @param inputMajor whether the weight is [in, out]
   * @throws IllegalArgumentException when the weight is null
   */
  public Linear {
    if (weight == null) {
      throw new IllegalArgumentException("a Linear needs its weight");
    }
  }
}
