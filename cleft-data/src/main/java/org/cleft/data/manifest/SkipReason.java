package org.cleft.data.manifest;

/** Why a manifest or data set row was not turned into a sample. */
public enum SkipReason {
  /** The image file does not exist. */
  MISSING_FILE,
  /** The image file exists but cannot be decoded. */
  UNREADABLE_IMAGE,
  /** The report or caption text is blank. */
  EMPTY_REPORT,
  /** A label value is not one the label policy accepts. */
  INVALID_LABEL,
  /** The label needed for the task is absent. */
  MISSING_LABEL,
  /** The row itself is malformed: wrong number of fields, invalid JSON, a required field blank. */
  MALFORMED_ROW,
  /** A join found no matching row in the other table. */
  NO_MATCH
}
