package org.cleft.model.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.model.VisionFamily;

/**
 * Chooses the trainable parameters of a contrastive run, named as the reference fixture names them: {@code text.} +
 * peft runtime name (adapter) or HF name (full LM), {@code vision.} + HF name, and the head names. The image tower's
 * parameters its family marks unused (DINOv2: {@code mask_token} and the final norm, off CLEFT's path) never train.
 */
public final class TrainableSelection {
  private TrainableSelection() {}

  /**
   * {@return the trainable parameters, in a stable order}
   *
   * @param <T> the engine's parameter handle
   * @param vision the image tower's parameters by HF name
   * @param text the text tower's parameters by HF name
   * @param adapter the adapter's parameters by peft runtime name (empty when there is none)
   * @param heads the heads' parameters
   * @param family the image tower's family
   * @param layers the image tower's number of blocks
   * @param config the run's configuration ({@code text}, {@code vision}, {@code visionLastBlocks})
   * @throws IllegalArgumentException when the text tower should train its adapter and has none
   */
  public static <T> Map<String, T> contrastive(Map<String, T> vision, Map<String, T> text, Map<String, T> adapter,
      Map<String, T> heads, VisionFamily family, int layers, TrainingConfig config) {
    Map<String, T> p = new LinkedHashMap<>();
    boolean hasAdapter = !adapter.isEmpty();
    if (config.text() == TrainingConfig.TextTraining.ADAPTER && !hasAdapter) {
      throw new IllegalArgumentException("text training ADAPTER needs a checkpoint with a peft adapter (cleft.json "
          + "text.adapter); choose FULL to train the whole language model or FROZEN to train none of it");
    }
    if (config.text() != TrainingConfig.TextTraining.FROZEN) {
      adapter.forEach((k, v) -> p.put("text." + k, v));
    }
    if (config.text() == TrainingConfig.TextTraining.FULL) {
      text.forEach((k, v) -> p.put("text." + k, v));
    }
    int firstTrained = switch (config.vision()) {
      case FULL -> 0;
      case FROZEN -> layers + 1;
      case LAST_BLOCKS -> Math.max(0, layers - config.visionLastBlocks());
    };
    vision.forEach((k, v) -> {
      if (family.isUnused(k)) {
        return;
      }
      if (config.vision() == TrainingConfig.VisionTraining.FULL || family.blockOf(k) >= firstTrained) {
        p.put("vision." + k, v);
      }
    });
    p.putAll(heads);
    return p;
  }
}
