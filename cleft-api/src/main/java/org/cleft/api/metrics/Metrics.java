package org.cleft.api.metrics;

import java.util.ArrayList;
import java.util.List;

/** Classification and retrieval metrics over plain arrays. */
public final class Metrics {

  private Metrics() {}

  /**
   * The fraction of predictions equal to the truth.
   *
   * @param predicted predicted class per sample
   * @param truth true class per sample, as many as {@code predicted}
   * @return correct / total, in [0, 1]
   * @throws IllegalArgumentException if the lengths differ or there are no samples
   */
  public static double accuracy(int[] predicted, int[] truth) {
    sameLength(predicted.length, truth.length, "predicted", "truth");
    if (truth.length == 0) {
      throw new IllegalArgumentException("accuracy of zero samples is undefined");
    }
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      correct += predicted[i] == truth[i] ? 1 : 0;
    }
    return (double) correct / truth.length;
  }

  /**
   * The index of the largest score of each row; the first one where several are equal, as NumPy's
   * and PyTorch's {@code argmax} do.
   *
   * @param scores one row of class scores per sample, none empty, no NaN
   * @return the predicted class per row
   * @throws IllegalArgumentException for an empty row or a NaN score
   */
  public static int[] argmax(float[][] scores) {
    int[] out = new int[scores.length];
    for (int i = 0; i < scores.length; i++) {
      float[] row = scores[i];
      if (row.length == 0) {
        throw new IllegalArgumentException("argmax: row " + i + " is empty");
      }
      int best = 0;
      for (int j = 0; j < row.length; j++) {
        if (Float.isNaN(row[j])) {
          throw new IllegalArgumentException("argmax: score [" + i + "][" + j + "] is NaN");
        }
        if (row[j] > row[best]) {
          best = j;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /**
   * Binary ROC AUC, equal to scikit-learn's {@code roc_auc_score(labels, scores)}: the area under
   * the ROC curve by trapezoids, tied scores forming a single threshold. Equivalently the
   * probability that a random positive scores above a random negative, a tie counting one half.
   *
   * @param scores a score per sample, higher meaning more likely positive; no NaN
   * @param binaryLabels 0 or 1 per sample
   * @return the AUC, in [0, 1]
   * @throws IllegalArgumentException if the lengths differ, a label is not 0/1, a score is NaN, or
   *     only one class is present (scikit-learn raises {@code ValueError} there too)
   */
  public static double rocAuc(double[] scores, int[] binaryLabels) {
    return RocAuc.of(scores, binaryLabels, "rocAuc");
  }

  /**
   * Macro one-vs-rest ROC AUC of a multi-class problem, as scikit-learn's
   * {@code roc_auc_score(truth, scores, multi_class="ovr", average="macro")}: for each class, the
   * binary AUC of its score column against "truth is this class", averaged without weights. Pass
   * probabilities (softmax outputs) to match scikit-learn, which refuses rows that do not sum to 1;
   * this method does not check the sums.
   *
   * @param scores one row of {@code k} class scores per sample
   * @param truth the true class per sample, in {@code [0, k)}
   * @return the macro AUC
   * @throws IllegalArgumentException if the shapes disagree, a class is out of range, or a class never
   *     occurs in {@code truth} (its AUC is undefined; scikit-learn raises as well)
   */
  public static double macroAuc(float[][] scores, int[] truth) {
    int k = columns(scores, truth.length, "macroAuc");
    int[] present = new int[k];
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] < 0 || truth[i] >= k) {
        throw new IllegalArgumentException("macroAuc: truth[" + i + "] = " + truth[i] + " is not a class in [0, " + k + ")");
      }
      present[truth[i]]++;
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      if (present[c] == 0) {
        throw new IllegalArgumentException("macroAuc: class " + c + " never occurs in truth; its AUC is undefined");
      }
      int[] labels = new int[truth.length];
      for (int i = 0; i < truth.length; i++) {
        labels[i] = truth[i] == c ? 1 : 0;
      }
      sum += RocAuc.of(column(scores, c), labels, "macroAuc class " + c);
    }
    return sum / k;
  }

  /**
   * Macro ROC AUC of a multi-label problem: the mean of the per-column AUCs. Columns whose labels
   * hold only one class are skipped (scikit-learn would raise); see {@link #multiLabelAuc} for which.
   *
   * @param scores one row of {@code k} scores per sample
   * @param multiHot one row of {@code k} 0/1 labels per sample
   * @return the macro AUC over the columns with both classes present
   * @throws IllegalArgumentException if the shapes disagree, a label is not 0/1, or every column is skipped
   */
  public static double macroAuc(float[][] scores, int[][] multiHot) {
    return multiLabelAuc(scores, multiHot).macro();
  }

  /**
   * Per-column and macro ROC AUC of a multi-label problem, reporting the columns skipped because only
   * one class occurs in them.
   *
   * @param scores one row of {@code k} scores per sample
   * @param multiHot one row of {@code k} 0/1 labels per sample
   * @return the per-class AUCs, their mean, and the skipped columns
   * @throws IllegalArgumentException if the shapes disagree, a label is not 0/1, or every column is skipped
   */
  public static MultiLabelAuc multiLabelAuc(float[][] scores, int[][] multiHot) {
    int k = columns(scores, multiHot.length, "multiLabelAuc");
    double[] perClass = new double[k];
    List<Integer> skipped = new ArrayList<>();
    double sum = 0;
    for (int c = 0; c < k; c++) {
      int[] labels = new int[multiHot.length];
      int positives = 0;
      for (int i = 0; i < multiHot.length; i++) {
        if (multiHot[i].length != k) {
          throw new IllegalArgumentException("multiLabelAuc: multiHot row " + i + " has " + multiHot[i].length
              + " labels, expected " + k);
        }
        labels[i] = multiHot[i][c];
        positives += labels[i] == 1 ? 1 : 0;
      }
      if (positives == 0 || positives == labels.length) {
        checkBinary(labels, c);
        perClass[c] = Double.NaN;
        skipped.add(c);
      } else {
        perClass[c] = RocAuc.of(column(scores, c), labels, "multiLabelAuc class " + c);
        sum += perClass[c];
      }
    }
    if (skipped.size() == k) {
      throw new IllegalArgumentException("multiLabelAuc: every one of the " + k
          + " classes has a single label value; ROC AUC is undefined");
    }
    return new MultiLabelAuc(sum / (k - skipped.size()), perClass, skipped);
  }

  /**
   * Recall@k of a retrieval similarity matrix in which row {@code i}'s correct match is column
   * {@code i} (image-to-text retrieval over paired batches; pass the transpose for text-to-image):
   * the fraction of rows whose correct column is among the {@code k} highest scores. Ties are
   * counted pessimistically: every other column scoring at least as high as the correct one ranks
   * ahead of it, so a constant matrix gives recall 0 at k below the column count.
   *
   * @param similarity {@code n} rows of {@code m >= n} scores each, no NaN
   * @param k how many top columns count, at least 1
   * @return the recall, in [0, 1]
   * @throws IllegalArgumentException if the matrix is empty or ragged, has fewer columns than rows,
   *     holds NaN, or {@code k < 1}
   */
  public static double recallAtK(float[][] similarity, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("recallAtK: k must be at least 1, got " + k);
    }
    int n = similarity.length;
    if (n == 0) {
      throw new IllegalArgumentException("recallAtK: the similarity matrix has no rows");
    }
    int m = similarity[0].length;
    if (m < n) {
      throw new IllegalArgumentException("recallAtK: " + n + " rows need at least " + n + " columns, got " + m);
    }
    int hits = 0;
    for (int i = 0; i < n; i++) {
      float[] row = similarity[i];
      if (row.length != m) {
        throw new IllegalArgumentException("recallAtK: row " + i + " has " + row.length + " columns, expected " + m);
      }
      int ahead = 0;
      for (int j = 0; j < m; j++) {
        if (Float.isNaN(row[j])) {
          throw new IllegalArgumentException("recallAtK: similarity[" + i + "][" + j + "] is NaN");
        }
        if (j != i && row[j] >= row[i]) {
          ahead++;
        }
      }
      hits += ahead < k ? 1 : 0;
    }
    return (double) hits / n;
  }

  private static int columns(float[][] scores, int samples, String what) {
    if (scores.length != samples) {
      throw new IllegalArgumentException(what + ": " + scores.length + " score rows but " + samples + " label rows");
    }
    if (samples == 0) {
      throw new IllegalArgumentException(what + ": no samples");
    }
    int k = scores[0].length;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i].length != k) {
        throw new IllegalArgumentException(what + ": score row " + i + " has " + scores[i].length + " columns, expected " + k);
      }
    }
    if (k == 0) {
      throw new IllegalArgumentException(what + ": scores have no columns");
    }
    return k;
  }

  private static double[] column(float[][] scores, int c) {
    double[] out = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      out[i] = scores[i][c];
    }
    return out;
  }

  private static void checkBinary(int[] labels, int c) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("multiLabelAuc: label [" + i + "][" + c + "] = " + labels[i] + " is not 0 or 1");
      }
    }
  }

  private static void sameLength(int a, int b, String nameA, String nameB) {
    if (a != b) {
      throw new IllegalArgumentException(nameA + " has " + a + " entries but " + nameB + " has " + b);
    }
  }
}
