package org.cleft.api.spi;

import java.nio.file.Path;
import org.cleft.api.CleftModel;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.PromptLearner;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;

/**
 * A created backend: loads checkpoints into models (and, for training backends, makes trainers).
 * Owns the native engine state it created; closing it closes every model it loaded.
 */
public interface Backend extends AutoCloseable {

  /** {@return the provider name of this backend} */
  String name();

  /**
   * Loads a CLEFT checkpoint directory (see {@link org.cleft.api.checkpoint.CleftCheckpoint}).
   *
   * @param checkpoint the checkpoint directory
   * @return the loaded model, which the caller closes
   * @throws CheckpointException when a file is missing or malformed (the message names it)
   */
  CleftModel load(Path checkpoint) throws CheckpointException;

  /**
   * {@return a contrastive pre-training run starting from a checkpoint (its towers, adapter and heads); with
   * {@code resume}, a checkpoint written by a previous run of the same configuration continues from its step,
   * optimiser state included}
   *
   * @param checkpoint the base checkpoint (or the checkpoint to resume)
   * @param config the run's configuration
   * @param resume continue from the checkpoint's saved trainer state
   * @throws CheckpointException when the checkpoint is missing or malformed
   * @throws UnsupportedOperationException when this backend cannot train
   */
  default ContrastiveTrainer contrastiveTrainer(Path checkpoint, TrainingConfig config, boolean resume)
      throws CheckpointException {
    throw new UnsupportedOperationException(name() + " backend does not train; use a backend with the TRAINING "
        + "capability, such as djl (cleft-djl)");
  }

  /**
   * {@return a context prompt fine-tuning run on a checkpoint's frozen towers}
   *
   * @param checkpoint the checkpoint whose towers are used (it is not modified)
   * @param config the run's configuration ({@link TrainingConfig#promptDefaults()} has the paper's)
   * @param resume continue from the checkpoint's saved trainer state
   * @throws CheckpointException when the checkpoint is missing or malformed
   * @throws UnsupportedOperationException when this backend cannot train
   */
  default PromptLearner promptLearner(Path checkpoint, TrainingConfig config, boolean resume)
      throws CheckpointException {
    throw new UnsupportedOperationException(name() + " backend does not train; use a backend with the TRAINING "
        + "capability, such as djl (cleft-djl)");
  }

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
