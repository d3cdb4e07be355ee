package org.cleft.examples.cli;

import java.util.Locale;
import org.cleft.api.TrainingConfig;
import picocli.CommandLine.Option;

/** The {@code --text-train} and {@code --vision-train} options of {@code train} and {@code info}: what trains. */
final class TrainedParts {
  @Option(names = "--vision-train", paramLabel = "MODE", defaultValue = "full",
      description = "Image tower: full, frozen or last:N (the last N blocks). Default: ${DEFAULT-VALUE}.")
  String visionTrain;

  @Option(names = "--text-train", paramLabel = "MODE", defaultValue = "adapter",
      description = "Text tower: adapter (base LM frozen, the paper), full or frozen. Default: ${DEFAULT-VALUE}.")
  String textTrain;

  /**
   * {@return the builder with both settings applied}
   *
   * @param b a training configuration builder
   * @throws IllegalArgumentException naming the option whose value is not one of its modes
   */
  TrainingConfig.Builder apply(TrainingConfig.Builder b) {
    b.optText(switch (textTrain.toLowerCase(Locale.ROOT)) {
      case "adapter" -> TrainingConfig.TextTraining.ADAPTER;
      case "full" -> TrainingConfig.TextTraining.FULL;
      case "frozen" -> TrainingConfig.TextTraining.FROZEN;
      default -> throw new IllegalArgumentException("--text-train must be adapter, full or frozen, got '" + textTrain
          + "'");
    });
    String v = visionTrain.toLowerCase(Locale.ROOT);
    if (v.startsWith("last:")) {
      return b.optVisionLastBlocks(Integer.parseInt(v.substring(5)));
    }
    return b.optVision(switch (v) {
      case "full" -> TrainingConfig.VisionTraining.FULL;
      case "frozen" -> TrainingConfig.VisionTraining.FROZEN;
      default -> throw new IllegalArgumentException("--vision-train must be full, frozen or last:N, got '"
          + visionTrain + "'");
    });
  }
}
