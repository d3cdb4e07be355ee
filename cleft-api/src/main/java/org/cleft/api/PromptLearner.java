package org.cleft.api;

import java.util.List;

/**
 * CLEFT stage 2: context prompt fine-tuning. Learns context vectors prepended to each class name's
 * tokens, with both towers frozen, from images with multi-hot labels; the result is saved in the
 * checkpoint and used by {@link CleftModel#promptTuned()}.
 */
public interface PromptLearner extends AutoCloseable {

  /**
   * Learns the context prompts.
   *
   * @param classNames the classes, in label-column order
   * @param data images with multi-hot {@link TrainingBatch#labels()}
   * @param validation optional labelled images for periodic evaluation, or null
   * @param listener progress callbacks
   * @return the run's summary
   */
  TrainingReport learn(List<String> classNames, BatchSource data, BatchSource validation, TrainingListener listener);

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
