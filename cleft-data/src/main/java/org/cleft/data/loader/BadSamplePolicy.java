package org.cleft.data.loader;

/** What a {@link BatchLoader} does with a sample whose image cannot be read or decoded. */
public enum BadSamplePolicy {
  /**
   * Leaves it out of its batch (which is one smaller; a batch left without samples is passed over), logs a
   * warning naming the file and the reason, and counts it ({@link BatchLoader#skippedSamples()}). Only failures
   * of the data are skipped (a missing or unreadable file, an image that does not decode); errors of the JVM and
   * of a pipeline stop the epoch. The default: one damaged file does not end a long run.
   */
  SKIP,
  /** Ends the epoch with a {@link SampleLoadException} naming the sample and the file. */
  STOP
}
