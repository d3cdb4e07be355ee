package org.cleft.examples.cli;

import java.util.Locale;
import org.cleft.api.Precision;
import picocli.CommandLine.Option;

/** {@code --frozen-dtype}: how the frozen weights are stored (a mixin of the commands that load a model). */
final class FrozenDtype {
  @Option(names = "--frozen-dtype", paramLabel = "TYPE", defaultValue = "fp32",
      description = "Storage of the frozen weights (every tower for inference; the base LM under an adapter and a "
          + "frozen image tower for training): fp32, fp16 or bf16. fp16 halves the memory of the towers' matrices "
          + "on djl; computation stays float32 (docs/backends.md#precision).")
  private String value;

  /** {@return the storage precision asked for} */
  Precision precision() {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "fp32", "float32" -> Precision.FP32;
      case "fp16", "float16" -> Precision.FP16;
      case "bf16", "bfloat16" -> Precision.BF16;
      default -> throw new CliFailure("--frozen-dtype " + value + ": unknown type", "use fp32, fp16 or bf16");
    };
  }
}
