package org.cleft.data.manifest;

/**
 * What an uncertain label ({@code -1}, CheXpert's "uncertain") becomes. Blank always means negative (0),
 * as in the reference CheXpert loaders, which fill missing values with 0.
 */
public enum UncertainPolicy {
  /** Uncertain counts as negative (U-Zeros). The default: captions list only certain positives. */
  ZEROS,
  /** Uncertain counts as positive (U-Ones). */
  ONES,
  /** Uncertain becomes NaN: the label is masked out of losses and metrics. */
  IGNORE,
  /** Uncertain is an invalid label; the row is rejected. */
  REJECT;

  /**
   * Parses one label cell: {@code 1}, {@code 0}, {@code -1} (also as {@code 1.0} etc.) or blank.
   *
   * @param cell the text of the cell (may be null for an absent JSON field)
   * @return 1, 0 or NaN
   * @throws IllegalArgumentException when the value is not allowed; the message quotes it
   */
  public float parse(String cell) {
    String s = cell == null ? "" : cell.trim();
    if (s.isEmpty()) {
      return 0f;
    }
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a label (expected 1, 0, -1 or blank)");
    }
    if (v == 1 || v == 0) {
      return (float) v;
    }
    if (v == -1) {
      switch (this) {
        case ZEROS:
          return 0f;
        case ONES:
          return 1f;
        case IGNORE:
          return Float.NaN;
        default:
          throw new IllegalArgumentException("uncertain label '" + s + "' is not allowed under " + this);
      }
    }
    throw new IllegalArgumentException("'" + s + "' is not a label (expected 1, 0, -1 or blank)");
  }
}
