package org.cleft.api.eval;

import java.util.List;
import org.cleft.api.metrics.Metrics;
import org.cleft.api.metrics.MultiLabelAuc;

/**
 * A trained linear probe: class scores {@code softmax(W x + b)}. Immutable; made by {@link LinearProbe#fit}.
 */
public final class LinearProbeModel {
  private final double[] theta;
  private final int classes;
  private final int dim;
  private final int[] trainingRows;
  private final List<Double> losses;
  private final double gradientNorm;

  LinearProbeModel(double[] theta, int classes, int dim, int[] trainingRows, List<Double> losses,
      double gradientNorm) {
    this.theta = theta;
    this.classes = classes;
    this.dim = dim;
    this.trainingRows = trainingRows;
    this.losses = List.copyOf(losses);
    this.gradientNorm = gradientNorm;
  }

  /**

   * Number of classes.

   *

   * @return number of classes

   */
  public int classes() {
    return classes;
  }

  /**

   * Feature width.

   *

   * @return feature width

   */
  public int dim() {
    return dim;
  }

  /**

   * The indices of the rows it was trained on, ascending.

   *

   * @return the indices of the rows it was trained on, ascending

   */
  public int[] trainingRows() {
    return trainingRows.clone();
  }

  /**

   * The training objective at the start and after every optimiser step (strictly decreasing).

   *

   * @return the training objective at the start and after every optimiser step (strictly decreasing)

   */
  public List<Double> lossHistory() {
    return losses;
  }

  /**

   * The largest absolute gradient component of the objective at the final parameters.

   *

   * @return the largest absolute gradient component of the objective at the final parameters

   */
  public double gradientNorm() {
    return gradientNorm;
  }

  /**

   * A copy of the weights, {@code [classes][dim]}.

   *

   * @return a copy of the weights, {@code [classes][dim]}

   */
  public double[][] weights() {
    double[][] w = new double[classes][];
    for (int c = 0; c < classes; c++) {
      w[c] = java.util.Arrays.copyOfRange(theta, c * dim, (c + 1) * dim);
    }
    return w;
  }

  /**

   * A copy of the biases, one per class.

   *

   * @return a copy of the biases, one per class

   */
  public double[] biases() {
    return java.util.Arrays.copyOfRange(theta, classes * dim, classes * dim + classes);
  }

  /**
   * Class probabilities.
   *
   * @param features one row of {@link #dim()} values per sample
   * @return one row of {@link #classes()} probabilities per sample
   */
  public float[][] probabilities(float[][] features) {
    float[][] out = new float[features.length][classes];
    double[] z = new double[classes];
    for (int i = 0; i < features.length; i++) {
      checkRow(features[i], dim, i);
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double s = theta[classes * dim + c];
        for (int j = 0; j < dim; j++) {
          s += theta[c * dim + j] * features[i][j];
        }
        z[c] = s;
        max = Math.max(max, s);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        z[c] = Math.exp(z[c] - max);
        sum += z[c];
      }
      for (int c = 0; c < classes; c++) {
        out[i][c] = (float) (z[c] / sum);
      }
    }
    return out;
  }

  /**
   * The most probable class of each row.
   *
   * @param features one row per sample
   * @return the predicted classes
   */
  public int[] predict(float[][] features) {
    return Metrics.argmax(probabilities(features));
  }

  /**
   * Accuracy and macro one-vs-rest AUC on held-out data. Classes absent from {@code labels} have no AUC
   * and are left out of the macro mean (NaN when none is left).
   *
   * @param features the test features
   * @param labels the test classes, each in {@code [0, classes())}
   * @return the scores
   */
  public ProbeResult evaluate(float[][] features, int[] labels) {
    if (features.length != labels.length || labels.length == 0) {
      throw new IllegalArgumentException("linear probe evaluation: " + features.length + " feature rows and "
          + labels.length + " labels (need the same, at least one)");
    }
    float[][] probs = probabilities(features);
    int[][] oneHot = new int[labels.length][classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("linear probe evaluation: label[" + i + "] = " + labels[i]
            + " is not a class in [0, " + classes + ")");
      }
      oneHot[i][labels[i]] = 1;
    }
    double accuracy = Metrics.accuracy(Metrics.argmax(probs), labels);
    double macro = Double.NaN;
    try {
      MultiLabelAuc auc = Metrics.multiLabelAuc(probs, oneHot);
      macro = auc.macro();
    } catch (IllegalArgumentException singleClassEverywhere) {
      // every class column is constant (one class in the test set): AUC is undefined
    }
    return new ProbeResult(accuracy, macro, trainingRows.length, labels.length);
  }

  static void checkRow(float[] row, int dim, int i) {
    if (row == null || row.length != dim || dim == 0) {
      throw new IllegalArgumentException("linear probe: feature row " + i + " has "
          + (row == null ? "no" : Integer.toString(row.length)) + " values, expected " + dim + " (and at least 1)");
    }
    for (float v : row) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("linear probe: feature row " + i + " holds " + v);
      }
    }
  }
}
