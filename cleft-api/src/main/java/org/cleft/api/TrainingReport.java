package org.cleft.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a finished training run reports.
 *
 * @param steps optimiser steps taken in total (including those before a resume)
 * @param finalLoss the loss of the last step
 * @param checkpoint the directory of the final checkpoint
 * @param trainableParameters number of trained parameters
 * @param totalParameters number of parameters of the whole model
 * @param seconds wall time of this run
 * @param metrics the last evaluation's metrics (empty when none ran)
 * @param bestCheckpoint with {@link TrainingConfig#selectMetric()}, the checkpoint of the best evaluation
 *     ({@code best/}); null otherwise or when no evaluation ran
 * @param bestMetrics the metrics of that evaluation (empty when there is none)
 */
public record TrainingReport(long steps, double finalLoss, Path checkpoint, long trainableParameters,
    long totalParameters, double seconds, Map<String, Double> metrics, Path bestCheckpoint,
    Map<String, Double> bestMetrics) {

  /**
   * Copies the metrics.
   *
   * @param steps optimiser steps taken in total (including those before a resume)
   * @param finalLoss the loss of the last step
   * @param checkpoint the directory of the final checkpoint
   * @param trainableParameters number of trained parameters
   * @param totalParameters number of parameters of the whole model
   * @param seconds wall time of this run
   * @param metrics the last evaluation's metrics (empty when none ran)
   * @param bestCheckpoint the checkpoint of the best evaluation, or null
   * @param bestMetrics the metrics of that evaluation
   */
  public TrainingReport {
    metrics = Map.copyOf(metrics);
    bestMetrics = Map.copyOf(bestMetrics);
  }

  /** {@return trainable parameters as a percentage of all parameters} */
  public double trainablePercent() {
    return totalParameters == 0 ? 0 : 100.0 * trainableParameters / totalParameters;
  }
}
