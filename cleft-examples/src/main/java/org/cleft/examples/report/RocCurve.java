package org.cleft.examples.report;

import java.util.Arrays;
import java.util.Comparator;
import org.cleft.api.metrics.Metrics;

/**
 * The points of a binary ROC curve, as scikit-learn's {@code roc_curve} with
 * {@code drop_intermediate=False}: starting at (0, 0), one point per distinct score threshold taken
 * from the highest score down (tied scores move together, giving a diagonal segment), ending at (1, 1).
 *
 * @param falsePositiveRate the x of each point, non-decreasing from 0 to 1
 * @param truePositiveRate the y of each point, non-decreasing from 0 to 1
 * @param auc the ROC AUC ({@link Metrics#rocAuc}, computed from the scores, not from these points)
 */
public record RocCurve(double[] falsePositiveRate, double[] truePositiveRate, double auc) {

  /**
   * Copies the arrays.
   *
   * @param falsePositiveRate the x of each point
   * @param truePositiveRate the y of each point
   * @param auc the ROC AUC of the scores
   */
  public RocCurve {
    falsePositiveRate = falsePositiveRate.clone();
    truePositiveRate = truePositiveRate.clone();
  }

  /**
   * The curve of {@code scores} against 0/1 {@code labels}.
   *
   * @param scores a score per sample, higher meaning more likely positive; no NaN
   * @param labels 0 or 1 per sample, both present
   * @return the curve
   * @throws IllegalArgumentException as {@link Metrics#rocAuc} does (one class only, bad labels, NaN)
   */
  public static RocCurve of(double[] scores, int[] labels) {
    double auc = Metrics.rocAuc(scores, labels);
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    long positives = Arrays.stream(labels).filter(l -> l == 1).count();
    long negatives = labels.length - positives;
    double[] fpr = new double[scores.length + 1];
    double[] tpr = new double[scores.length + 1];
    int points = 1;
    long tp = 0;
    long fp = 0;
    for (int start = 0; start < order.length;) {
      int end = start;
      while (end < order.length && scores[order[end]] == scores[order[start]]) {
        tp += labels[order[end]];
        fp += 1 - labels[order[end]];
        end++;
      }
      fpr[points] = (double) fp / negatives;
      tpr[points] = (double) tp / positives;
      points++;
      start = end;
    }
    return new RocCurve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), auc);
  }

  /**

   * A copy of the false positive rates.

   *

   * @return a copy of the false positive rates

   */
  @Override
  public double[] falsePositiveRate() {
    return falsePositiveRate.clone();
  }

  /**

   * A copy of the true positive rates.

   *

   * @return a copy of the true positive rates

   */
  @Override
  public double[] truePositiveRate() {
    return truePositiveRate.clone();
  }

  /**

   * Number of points.

   *

   * @return number of points

   */
  public int size() {
    return falsePositiveRate.length;
  }

  /**

   * The area under these points by trapezoids; equals {@link #auc()} up to rounding.

   *

   * @return the area under these points by trapezoids; equals {@link #auc()} up to rounding

   */
  public double trapezoidArea() {
    double area = 0;
    for (int i = 1; i < falsePositiveRate.length; i++) {
      area += (falsePositiveRate[i] - falsePositiveRate[i - 1]) * (truePositiveRate[i] + truePositiveRate[i - 1]) / 2;
    }
    return area;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RocCurve r && Arrays.equals(r.falsePositiveRate, falsePositiveRate)
        && Arrays.equals(r.truePositiveRate, truePositiveRate) && Double.compare(r.auc, auc) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(falsePositiveRate) * 31 + Arrays.hashCode(truePositiveRate);
  }

  @Override
  public String toString() {
    return "RocCurve[" + size() + " points, auc=" + auc + "]";
  }
}
