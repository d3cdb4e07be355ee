package org.cleft.api.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.cleft.api.BatchSource;
import org.cleft.api.TrainingBatch;

/**
 * What a training stage (contrastive pre-training, prompt tuning) plugs into the {@link TrainingLoop}.
 *
 * @param <T> the engine's parameter handle
 */
public interface TrainingTask<T> {

  /** {@return the trainable parameters by name (named as the reference fixture names them)} */
  Map<String, T> parameters();

  /**
   * {@return the loss of one batch, computed inside the engine's autograd}
   *
   * @param batch the batch
   */
  T loss(TrainingBatch batch);

  /**
   * Switches dropout and similar on or off.
   *
   * @param training whether the model trains
   */
  void setTraining(boolean training);

  /**
   * {@return evaluation metrics on the validation source (called outside training mode)}
   *
   * @param validation the validation batches
   */
  Map<String, Double> evaluate(BatchSource validation);

  /**
   * Writes a checkpoint of the current state to {@code dir} atomically.
   *
   * @param dir the checkpoint folder
   * @param state the trainer state to save with it
   * @throws IOException when writing fails
   */
  void writeCheckpoint(Path dir, TrainerState state) throws IOException;

  /**
   * Whether the parameters as they start compete for {@code best/}: with a selection metric, a fresh run then
   * evaluates them before the first step, and keeps them when no later evaluation beats them. True for prompt
   * tuning, whose starting context is the hand-written prompt (tuning that never beats it on the validation split
   * should not replace it); false for contrastive training.
   *
   * @return whether step 0 is a candidate
   */
  default boolean startIsCandidate() {
    return false;
  }
}
