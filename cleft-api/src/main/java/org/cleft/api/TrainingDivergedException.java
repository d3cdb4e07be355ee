package org.cleft.api;

import java.nio.file.Path;

/**
 * A training run stopped because the loss or the gradients became NaN or infinite. The parameters of
 * the failing step were not updated; {@link #lastGoodCheckpoint()} is the newest checkpoint written
 * before it (null when none was).
 */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final transient Path lastGoodCheckpoint;
  /** The 1-based step that diverged. */
  private final long step;

  /**
   * Creates the exception.
   *
   * @param message what diverged, at which step, and what to try
   * @param step the 1-based step that diverged
   * @param lastGoodCheckpoint the newest checkpoint written before, or null
   */
  public TrainingDivergedException(String message, long step, Path lastGoodCheckpoint) {
    super(message);
    this.step = step;
    this.lastGoodCheckpoint = lastGoodCheckpoint;
  }

  /** {@return the 1-based step whose loss or gradients were not finite} */
  public long step() {
    return step;
  }

  /** {@return the newest checkpoint written before the failure, or null} */
  public Path lastGoodCheckpoint() {
    return lastGoodCheckpoint;
  }
}
