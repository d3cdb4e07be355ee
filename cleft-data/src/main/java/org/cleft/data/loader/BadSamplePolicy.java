package org.cleft.data.loader;

/** What a {@link BatchLoader} does with a sample whose image cannot be read or decoded. */
public enum BadSamplePolicy {
  /**
   * Leaves it out of its batch (which is one smaller), logs a warning naming the file and the reason, and counts
   * it ({@link BatchLoader#skippedSamples()}). The default: one damaged file does not end a long run.
   */
  SKIP,
  /** Ends the epoch with a {@link SampleLoadException} naming the sample and the file. */
  STOP
}
