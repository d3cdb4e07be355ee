package org.cleft.data.dataset;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The EMBED classification targets, read from the clinical table. */
public enum EmbedTask {
  /**
   * BI-RADS assessment, 7 classes from the {@code asses} letter as the EMBED documentation maps it:
   * A=0 (incomplete), N=1 (negative), B=2 (benign), P=3 (probably benign), S=4 (suspicious),
   * M=5 (highly suggestive of malignancy), K=6 (known malignancy).
   */
  BIRADS("asses", List.of("bi-rads 0", "bi-rads 1", "bi-rads 2", "bi-rads 3", "bi-rads 4", "bi-rads 5", "bi-rads 6")),
  /** Breast density, 4 classes from {@code tissueden} 1..4 (BI-RADS density A..D) as 0..3. */
  DENSITY("tissueden", List.of("fatty", "scattered fibroglandular", "heterogeneously dense", "extremely dense"));

  private static final Map<String, Integer> ASSES = Map.of("A", 0, "N", 1, "B", 2, "P", 3, "S", 4, "M", 5, "K", 6);

  private final String column;
  private final List<String> classNames;

  EmbedTask(String column, List<String> classNames) {
    this.column = column;
    this.classNames = classNames;
  }

  /**
   * The clinical-table column holding the label.
   *
   * @return {@code asses} or {@code tissueden}
   */
  public String column() {
    return column;
  }

  /**
   * The class names, in label order.
   *
   * @return 7 or 4 names
   */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * The class index of a label cell.
   *
   * @param cell the cell text, already known not to be blank
   * @return the index, or empty when the value is not a valid label for this task
   */
  public Optional<Integer> classOf(String cell) {
    String s = cell.trim();
    if (this == BIRADS) {
      return Optional.ofNullable(ASSES.get(s.toUpperCase(java.util.Locale.ROOT)));
    }
    try {
      int d = (int) Double.parseDouble(s);
      return d >= 1 && d <= 4 && d == Double.parseDouble(s) ? Optional.of(d - 1) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
