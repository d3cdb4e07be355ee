package org.cleft.api.eval;

/**
 * The multinomial logistic regression objective over parameters {@code theta = [W (k x d, row-major), b (k)]}:
 * {@code (1/n) sum_i -log softmax(W x_i + b)[y_i] + (l2/2) ||W||^2}. The bias is not penalised. Convex;
 * strictly convex in {@code W} when {@code l2 > 0}.
 */
final class SoftmaxObjective {
  private final float[][] features;
  private final int[] labels;
  private final int classes;
  private final int dim;
  private final double l2;

  SoftmaxObjective(float[][] features, int[] labels, int classes, double l2) {
    this.features = features;
    this.labels = labels;
    this.classes = classes;
    this.dim = features[0].length;
    this.l2 = l2;
  }

  /** Number of parameters, {@code k * d + k}. */
  int size() {
    return classes * dim + classes;
  }

  /**
   * The objective at {@code theta}, writing its gradient into {@code gradient}.
   *
   * @param theta the parameters
   * @param gradient receives the gradient, {@link #size()} values
   * @return the objective value
   */
  double evaluate(double[] theta, double[] gradient) {
    java.util.Arrays.fill(gradient, 0);
    double loss = 0;
    double[] logits = new double[classes];
    int biasAt = classes * dim;
    for (int i = 0; i < features.length; i++) {
      float[] x = features[i];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double z = theta[biasAt + c];
        int w = c * dim;
        for (int j = 0; j < dim; j++) {
          z += theta[w + j] * x[j];
        }
        logits[c] = z;
        max = Math.max(max, z);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        logits[c] = Math.exp(logits[c] - max);
        sum += logits[c];
      }
      loss += Math.log(sum) + max - logitOf(theta, x, labels[i]);
      for (int c = 0; c < classes; c++) {
        double residual = logits[c] / sum - (c == labels[i] ? 1 : 0);
        gradient[biasAt + c] += residual;
        int w = c * dim;
        for (int j = 0; j < dim; j++) {
          gradient[w + j] += residual * x[j];
        }
      }
    }
    double n = features.length;
    double penalty = 0;
    for (int p = 0; p < gradient.length; p++) {
      gradient[p] /= n;
      if (p < biasAt) {
        gradient[p] += l2 * theta[p];
        penalty += theta[p] * theta[p];
      }
    }
    return loss / n + 0.5 * l2 * penalty;
  }

  private double logitOf(double[] theta, float[] x, int c) {
    double z = theta[classes * dim + c];
    for (int j = 0; j < dim; j++) {
      z += theta[c * dim + j] * x[j];
    }
    return z;
  }
}
