package org.cleft.api.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cleft.api.metrics.ConfusionMatrix;
import org.cleft.api.metrics.Metrics;
import org.cleft.api.metrics.MultiLabelAuc;

/**
 * The outcome of a zero-shot evaluation: accuracy, macro and per-class ROC AUC, the confusion matrix,
 * and the raw scores and labels (for ROC curves). Immutable; every array accessor returns a copy. How
 * rows enter each number is described on {@link ZeroShotEvaluation}.
 */
public final class ZeroShotResult {
  private final List<String> classNames;
  private final float[][] scores;
  private final float[][] labels;
  private final double accuracy;
  private final int accuracyRows;
  private final double macroAuc;
  private final double[] perClassAuc;
  private final ConfusionMatrix confusion;

  private ZeroShotResult(List<String> classNames, float[][] scores, float[][] labels, double accuracy,
      int accuracyRows, double macroAuc, double[] perClassAuc, ConfusionMatrix confusion) {
    this.classNames = List.copyOf(classNames);
    this.scores = scores;
    this.labels = labels;
    this.accuracy = accuracy;
    this.accuracyRows = accuracyRows;
    this.macroAuc = macroAuc;
    this.perClassAuc = perClassAuc;
    this.confusion = confusion;
  }

  /** Computes every number; the arrays are already copies owned by the result. */
  static ZeroShotResult compute(List<String> classNames, float[][] scores, float[][] labels, int[][] multiHot) {
    int[] predicted = Metrics.argmax(scores);
    List<Integer> truth = new ArrayList<>();
    List<Integer> guess = new ArrayList<>();
    int correct = 0;
    for (int i = 0; i < multiHot.length; i++) {
      int first = -1;
      boolean hit = false;
      for (int c = 0; c < multiHot[i].length; c++) {
        if (multiHot[i][c] == 1) {
          first = first < 0 ? c : first;
          hit |= c == predicted[i];
        }
      }
      if (first >= 0) {
        truth.add(hit ? predicted[i] : first);
        guess.add(predicted[i]);
        correct += hit ? 1 : 0;
      }
    }
    if (truth.isEmpty()) {
      throw new IllegalArgumentException("zero-shot evaluation: none of the " + labels.length
          + " rows has a positive label; accuracy is undefined");
    }
    ConfusionMatrix confusion = ConfusionMatrix.of(guess.stream().mapToInt(Integer::intValue).toArray(),
        truth.stream().mapToInt(Integer::intValue).toArray(), classNames);
    double[] perClass = new double[classNames.size()];
    java.util.Arrays.fill(perClass, Double.NaN);
    double macro = Double.NaN;
    if (anyColumnHasBothValues(multiHot, classNames.size())) {
      MultiLabelAuc auc = Metrics.multiLabelAuc(scores, multiHot);
      perClass = auc.perClass();
      macro = auc.macro();
    }
    return new ZeroShotResult(classNames, scores, labels, (double) correct / truth.size(), truth.size(), macro,
        perClass, confusion);
  }

  private static boolean anyColumnHasBothValues(int[][] multiHot, int k) {
    for (int c = 0; c < k; c++) {
      int positives = 0;
      for (int[] row : multiHot) {
        positives += row[c];
      }
      if (positives > 0 && positives < multiHot.length) {
        return true;
      }
    }
    return false;
  }

  /**

   * The classes, in column order.

   *

   * @return the classes, in column order

   */
  public List<String> classNames() {
    return classNames;
  }

  /**

   * Number of evaluated rows (images), unlabelled ones included.

   *

   * @return number of evaluated rows (images), unlabelled ones included

   */
  public int rows() {
    return scores.length;
  }

  /**

   * Rows that entered accuracy and the confusion matrix: those with at least one positive label.

   *

   * @return rows that entered accuracy and the confusion matrix: those with at least one positive label

   */
  public int accuracyRows() {
    return accuracyRows;
  }

  /**

   * Rows with no positive label: in the AUCs, not in accuracy or the confusion matrix.

   *

   * @return rows with no positive label: in the AUCs, not in accuracy or the confusion matrix

   */
  public int unlabelledRows() {
    return scores.length - accuracyRows;
  }

  /**

   * Fraction of labelled rows whose highest-scoring class is one of their positives.

   *

   * @return fraction of labelled rows whose highest-scoring class is one of their positives

   */
  public double accuracy() {
    return accuracy;
  }

  /**

   * Mean of the defined per-class AUCs; NaN when no class has both positives and negatives.

   *

   * @return mean of the defined per-class AUCs; NaN when no class has both positives and negatives

   */
  public double macroAuc() {
    return macroAuc;
  }

  /**

   * One-vs-rest ROC AUC of each class, NaN for a class with only positives or only negatives.

   *

   * @return one-vs-rest ROC AUC of each class, NaN for a class with only positives or only negatives

   */
  public double[] perClassAuc() {
    return perClassAuc.clone();
  }

  /**

   * Predicted against true class over the labelled rows ({@code [truth][predicted]}).

   *

   * @return predicted against true class over the labelled rows ({@code [truth][predicted]})

   */
  public ConfusionMatrix confusionMatrix() {
    return confusion;
  }

  /**

   * The class scores (softmax probabilities when computed by {@link ZeroShotEvaluation#evaluate}).

   *

   * @return the class scores (softmax probabilities when computed by {@link ZeroShotEvaluation#evaluate})

   */
  public float[][] scores() {
    return ZeroShotEvaluation.copy(scores);
  }

  /**

   * The multi-hot labels, one row per image.

   *

   * @return the multi-hot labels, one row per image

   */
  public float[][] labels() {
    return ZeroShotEvaluation.copy(labels);
  }

  /**
   * The numbers under stable keys, for JSON reports: {@code PREFIXaccuracy}, {@code PREFIXmacro_auc},
   * {@code PREFIXauc_CLASS} per class (the class name lower-cased, runs of other characters than
   * letters and digits replaced by {@code _}), {@code PREFIXrows} and {@code PREFIXaccuracy_rows}.
   *
   * @param prefix prepended to every key, e.g. {@code "zero_shot_"} (may be empty)
   * @return an insertion-ordered map
   */
  public Map<String, Double> toMap(String prefix) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(prefix + "accuracy", accuracy);
    out.put(prefix + "macro_auc", macroAuc);
    for (int c = 0; c < classNames.size(); c++) {
      out.put(prefix + "auc_" + slug(classNames.get(c)), perClassAuc[c]);
    }
    out.put(prefix + "rows", (double) rows());
    out.put(prefix + "accuracy_rows", (double) accuracyRows);
    return out;
  }

  /** A class name as a key part: lower case, other runs than letters and digits as one {@code _}. */
  static String slug(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    return s.replaceAll("^_+|_+$", "");
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ZeroShotResult[rows=%d, accuracy=%.4f, macroAuc=%.4f]", rows(), accuracy,
        macroAuc);
  }
}
