package org.cleft.data.manifest;

/** What to do with a row that fails validation. */
public enum RowPolicy {
  /** Throw a {@link RowRejectedException} at the first bad row. */
  FAIL_FAST,
  /** Record the row in the {@link SkipReport} and go on. */
  SKIP
}
