package org.cleft.api.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Binary ROC AUC through the Mann-Whitney U statistic with mid-ranks. This equals the trapezoidal
 * area under the ROC curve when tied scores form one threshold, which is what scikit-learn's
 * {@code roc_auc_score} computes: a positive and a negative with the same score count one half.
 */
final class RocAuc {

  private RocAuc() {}

  /** The AUC of {@code scores} against 0/1 {@code labels}; both classes must be present. */
  static double of(double[] scores, int[] labels, String what) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(what + ": " + scores.length + " scores but " + labels.length + " labels");
    }
    long positives = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(what + ": label " + labels[i] + " at index " + i + " is not 0 or 1");
      }
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException(what + ": score at index " + i + " is NaN");
      }
      positives += labels[i];
    }
    long negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(what + ": only one class (" + (positives == 0 ? 0 : 1)
          + ") is present in the labels; ROC AUC is not defined");
    }
    double positiveRankSum = positiveRankSum(scores, labels);
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  /** Sum of the 1-based ranks of the positives, tied scores sharing the mean of their ranks. */
  private static double positiveRankSum(double[] scores, int[] labels) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double sum = 0;
    int start = 0;
    while (start < order.length) {
      int end = start;
      int positivesInGroup = 0;
      while (end < order.length && scores[order[end]] == scores[order[start]]) {
        positivesInGroup += labels[order[end]];
        end++;
      }
      double midRank = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
      sum += midRank * positivesInGroup;
      start = end;
    }
    return sum;
  }
}
