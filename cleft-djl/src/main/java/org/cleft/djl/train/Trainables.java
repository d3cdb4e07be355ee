package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.djl.CleftNetwork;
import org.cleft.model.peft.AdapterHook;

/**
 * Chooses the trainable parameters of a contrastive run, named as the reference fixture names them:
 * {@code text.} + peft runtime name (adapter) or HF name (full LM), {@code vision.} + HF name, and the
 * head names. The image tower's {@code mask_token} and final {@code layernorm} never train: the
 * first is used only with masked inputs and CLEFT pools before the second, so neither gets a gradient.
 */
final class Trainables {
  private Trainables() {}

  static Map<String, NDArray> contrastive(CleftNetwork net, AdapterHook<NDArray> adapter, TrainingConfig config) {
    Map<String, NDArray> p = new LinkedHashMap<>();
    boolean hasAdapter = !adapter.parameters().isEmpty();
    if (config.text() != TrainingConfig.TextTraining.FROZEN && hasAdapter) {
      adapter.parameters().forEach((k, v) -> p.put("text." + k, v));
    }
    if (config.text() == TrainingConfig.TextTraining.FULL) {
      net.textParameters().forEach((k, v) -> p.put("text." + k, v));
    }
    if (config.text() == TrainingConfig.TextTraining.ADAPTER && !hasAdapter) {
      throw new IllegalArgumentException("text training ADAPTER needs a checkpoint with a peft adapter (cleft.json "
          + "text.adapter); choose FULL to train the whole language model or FROZEN to train none of it");
    }
    int layers = net.vision().layers();
    int firstTrained = switch (config.vision()) {
      case FULL -> 0;
      case FROZEN -> layers + 1;
      case LAST_BLOCKS -> Math.max(0, layers - config.visionLastBlocks());
    };
    net.visionParameters().forEach((k, v) -> {
      if (net.visionFamily().isUnused(k)) {
        return;
      }
      boolean train = config.vision() == TrainingConfig.VisionTraining.FULL
          || net.visionFamily().blockOf(k) >= firstTrained;
      if (train) {
        p.put("vision." + k, v);
      }
    });
    net.headParameters().forEach(p::put);
    return p;
  }

  /** Number of values in the arrays. */
  static long count(Map<String, NDArray> params) {
    return params.values().stream().mapToLong(NDArray::size).sum();
  }
}
