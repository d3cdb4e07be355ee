package org.cleft.data.manifest;

import java.nio.file.Path;

/** A bad row under {@link RowPolicy#FAIL_FAST}; the message names the file, the row and the reason. */
public class RowRejectedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient SkippedRow row;

  /**
   * Creates the exception.
   *
   * @param file the manifest or table file
   * @param row the rejected row
   */
  public RowRejectedException(Path file, SkippedRow row) {
    super(file + ": row " + row.row() + ": " + row.kind() + ": " + row.reason());
    this.row = row;
  }

  /**
   * The rejected row.
   *
   * @return its number, kind and reason
   */
  public SkippedRow row() {
    return row;
  }
}
