package org.cleft.api;

/** Receives progress from a training run (progress bars, metric files, early stopping). */
public interface TrainingListener {

  /**
   * Called after every optimiser step.
   *
   * @param step the 1-based step just taken
   * @param totalSteps the number of steps the run will take
   * @param loss the loss of the step
   * @param learningRate the learning rate used for the step
   * @param imagesPerSecond throughput of the step
   */
  default void onStep(long step, long totalSteps, double loss, double learningRate, double imagesPerSecond) {}

  /**
   * Called with the metrics of an evaluation (names such as {@code zero_shot_accuracy}).
   *
   * @param step the step after which the evaluation ran
   * @param metrics metric name to value
   */
  default void onEvaluation(long step, java.util.Map<String, Double> metrics) {}

  /**
   * Called after a checkpoint has been written.
   *
   * @param step the step the checkpoint holds
   * @param directory the checkpoint directory
   */
  default void onCheckpoint(long step, java.nio.file.Path directory) {}

  /** {@return a listener that ignores everything} */
  static TrainingListener none() {
    return new TrainingListener() {};
  }
}
