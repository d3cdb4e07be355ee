package org.cleft.api.metrics;

import java.util.List;

/**
 * Per-class and macro ROC AUC of a multi-label problem.
 *
 * @param macro the mean AUC over the classes that were not skipped
 * @param perClass the AUC of each class (column), {@code NaN} for a skipped one; a defensive copy
 * @param skipped the classes left out because only one of positive/negative occurs in their labels
 *     (scikit-learn raises an error for them instead), ascending
 */
public record MultiLabelAuc(double macro, double[] perClass, List<Integer> skipped) {

  /**
   * Copies the arrays.
   *
   * @param macro the mean AUC over the classes that were not skipped
   * @param perClass the AUC of each class (column), {@code NaN} for a skipped one; a defensive copy
   * @param skipped the classes left out because only one of positive/negative occurs in their labels
   *     (scikit-learn raises an error for them instead), ascending
   */
  public MultiLabelAuc {
    perClass = perClass.clone();
    skipped = List.copyOf(skipped);
  }

  /** {@return a copy of the per-class AUCs} */
  @Override
  public double[] perClass() {
    return perClass.clone();
  }

  /** {@return number of classes that entered the macro average} */
  public int evaluatedClasses() {
    return perClass.length - skipped.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiLabelAuc m && Double.compare(m.macro, macro) == 0
        && java.util.Arrays.equals(m.perClass, perClass) && m.skipped.equals(skipped);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(macro) * 31 + java.util.Arrays.hashCode(perClass);
  }

  @Override
  public String toString() {
    return "MultiLabelAuc[macro=" + macro + ", perClass=" + java.util.Arrays.toString(perClass) + ", skipped="
        + skipped + "]";
  }
}
