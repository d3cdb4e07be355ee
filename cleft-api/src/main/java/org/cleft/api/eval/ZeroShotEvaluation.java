package org.cleft.api.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.cleft.api.BatchSource;
import org.cleft.api.Classification;
import org.cleft.api.TrainingBatch;
import org.cleft.api.ZeroShotClassifier;

/**
 * Zero-shot classification of a labelled data set: every image is classified against the
 * classifier's classes and the softmax probabilities are compared with the multi-hot labels.
 *
 * <p>Which rows count where (CheXpert 5x200, RSNA and EMBED rows have exactly one positive, so these
 * rules only matter for other data):
 * <ul>
 *   <li><b>accuracy</b>: a row is correct when the argmax of its scores is one of its positive
 *       classes; rows with several positives are therefore correct if any of them wins. Rows with no
 *       positive are left out of accuracy and of the confusion matrix (and counted in
 *       {@link ZeroShotResult#unlabelledRows()}).</li>
 *   <li><b>confusion matrix</b>: the truth of a row is its positive class; for a row with several
 *       positives, the predicted class when it is one of them, else the first positive.</li>
 *   <li><b>AUC</b>: per class, the ROC AUC of that class's probability column against that class's
 *       label column over <em>every</em> row, all-negative rows included (they are negatives for every
 *       class). For one-hot labels this is scikit-learn's one-vs-rest macro AUC. A class whose column
 *       holds only positives or only negatives has no AUC ({@code NaN}) and is left out of the macro
 *       mean.</li>
 * </ul>
 */
public final class ZeroShotEvaluation {

  private ZeroShotEvaluation() {}

  /**
   * Classifies every image of epoch 0 of {@code data} and scores the predictions.
   *
   * @param classifier the classifier; its class order is the label column order
   * @param data labelled batches: every batch must carry {@link TrainingBatch#labels()} with one column
   *     per class
   * @return the metrics, the confusion matrix and the raw scores and labels
   * @throws IllegalArgumentException when a batch has no labels, the wrong number of label columns, or
   *     a label that is not 0 or 1; or when no row at all has a positive label
   */
  public static ZeroShotResult evaluate(ZeroShotClassifier classifier, BatchSource data) {
    List<String> classNames = classifier.classNames();
    List<float[]> scores = new ArrayList<>();
    List<float[]> labels = new ArrayList<>();
    Iterator<TrainingBatch> batches = data.epoch(0);
    int batchIndex = 0;
    while (batches.hasNext()) {
      TrainingBatch batch = batches.next();
      if (batch.labels() == null) {
        throw new IllegalArgumentException("zero-shot evaluation: batch " + batchIndex + " has no labels");
      }
      Classification result = classifier.classify(batch.images());
      for (int i = 0; i < batch.size(); i++) {
        scores.add(result.probabilities()[i]);
        labels.add(batch.labels()[i].clone());
      }
      batchIndex++;
    }
    return of(classNames, scores.toArray(float[][]::new), labels.toArray(float[][]::new));
  }

  /**
   * Scores precomputed class scores against multi-hot labels, by the rules in the class description.
   *
   * @param classNames the classes, in column order
   * @param scores one row of class scores per image (softmax probabilities for scikit-learn's numbers)
   * @param labels one row of 0/1 labels per image, one column per class
   * @return the result (the arrays are copied)
   * @throws IllegalArgumentException when the shapes disagree, a label is not 0 or 1, a score is NaN,
   *     or no row has a positive label
   */
  public static ZeroShotResult of(List<String> classNames, float[][] scores, float[][] labels) {
    int k = classNames.size();
    if (k == 0) {
      throw new IllegalArgumentException("zero-shot evaluation needs at least one class");
    }
    if (scores.length != labels.length) {
      throw new IllegalArgumentException("zero-shot evaluation: " + scores.length + " score rows but "
          + labels.length + " label rows");
    }
    int[][] multiHot = new int[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      checkRow(scores[i], k, "scores", i);
      checkRow(labels[i], k, "labels", i);
      multiHot[i] = binary(labels[i], i);
    }
    return ZeroShotResult.compute(classNames, copy(scores), copy(labels), multiHot);
  }

  private static void checkRow(float[] row, int k, String what, int i) {
    if (row == null || row.length != k) {
      throw new IllegalArgumentException("zero-shot evaluation: " + what + " row " + i + " has "
          + (row == null ? "no" : Integer.toString(row.length)) + " columns, expected " + k + " (one per class)");
    }
  }

  private static int[] binary(float[] labels, int row) {
    int[] out = new int[labels.length];
    for (int c = 0; c < labels.length; c++) {
      if (labels[c] != 0f && labels[c] != 1f) {
        throw new IllegalArgumentException("zero-shot evaluation: label [" + row + "][" + c + "] = " + labels[c]
            + " is not 0 or 1 (map uncertain or unknown labels before evaluating)");
      }
      out[c] = (int) labels[c];
    }
    return out;
  }

  static float[][] copy(float[][] a) {
    float[][] out = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }
}
