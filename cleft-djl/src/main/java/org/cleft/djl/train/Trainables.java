package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.djl.CleftNetwork;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.train.TrainableSelection;

/**
 * Chooses the trainable parameters of a contrastive run, named as the reference fixture names them:
 * {@code text.} + peft runtime name (adapter) or HF name (full LM), {@code vision.} + HF name, and the
 * head names. The image tower's {@code mask_token} and final {@code layernorm} never train: the
 * first is used only with masked inputs and CLEFT pools before the second, so neither gets a gradient.
 */
final class Trainables {
  private Trainables() {}

  static Map<String, NDArray> contrastive(CleftNetwork net, AdapterHook<NDArray> adapter, TrainingConfig config) {
    return TrainableSelection.contrastive(net.visionParameters(), net.textParameters(), adapter.parameters(),
        net.headParameters(), net.visionFamily(), net.vision().layers(), config);
  }

  /** Number of values in the arrays. */
  static long count(Map<String, NDArray> params) {
    return params.values().stream().mapToLong(NDArray::size).sum();
  }
}
