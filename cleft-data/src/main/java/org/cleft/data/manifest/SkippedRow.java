package org.cleft.data.manifest;

/**
 * A row that was skipped.
 *
 * @param row the 1-based line number where the row starts in its file
 * @param kind the category of the problem
 * @param reason a human-readable explanation naming the field or file at fault
 */
public record SkippedRow(int row, SkipReason kind, String reason) {

  @Override
  public String toString() {
    return "row " + row + ": " + kind + ": " + reason;
  }
}
