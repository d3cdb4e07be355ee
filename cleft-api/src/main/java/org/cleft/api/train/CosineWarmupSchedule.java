package org.cleft.api.train;

/**
 * The reference learning-rate schedule (one cycle of CosineAnnealingWarmupRestarts): from
 * {@code min} rising linearly to {@code max} over the warm-up steps, then
 * {@code min + (max - min) (1 + cos(pi (s - warmup) / (total - warmup))) / 2}.
 *
 * @param max the peak learning rate
 * @param min the starting and final learning rate
 * @param warmup warm-up steps
 * @param total steps of the run
 */
public record CosineWarmupSchedule(double max, double min, long warmup, long total) {

  /**
   * The learning rate of a step.
   *
   * @param step the 0-based index of the step (the first step uses {@code lr(0) = min} when there is warm-up)
   * @return the learning rate
   */
  public double lr(long step) {
    if (step < warmup) {
      return min + (max - min) * step / warmup;
    }
    double progress = (double) (step - warmup) / Math.max(1, total - warmup);
    return min + (max - min) * (1 + Math.cos(Math.PI * Math.min(1, progress))) / 2;
  }
}
