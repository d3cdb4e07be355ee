package org.cleft.api;

/**
 * CLEFT stage 1: contrastive pre-training of the image tower against the PEFT-adapted text tower on
 * image-report pairs. A trainer is created by a backend for a base checkpoint and a configuration;
 * {@link #train} writes new checkpoints and never changes the base checkpoint on disk.
 */
public interface ContrastiveTrainer extends AutoCloseable {

  /**
   * Trains on image-report pairs ({@link TrainingBatch#texts()} must be present).
   *
   * @param data the training pairs
   * @param validation optional labelled images for periodic zero-shot evaluation, or null
   * @param listener progress callbacks
   * @return the run's summary
   */
  TrainingReport train(BatchSource data, BatchSource validation, TrainingListener listener);

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
