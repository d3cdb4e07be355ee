package org.cleft.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Linear probing on synthetic features, checked against numbers computed here, not by the probe. */
class LinearProbeTest {

  /** {@code n} points per class around {@code k} centres {@code spread} apart in {@code dim} dimensions. */
  private static float[][] clusters(int k, int n, int dim, double spread, long seed, int[] labelsOut) {
    Random r = new Random(seed);
    double[][] centres = new double[k][dim];
    for (double[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] = r.nextGaussian() * spread;
      }
    }
    float[][] x = new float[k * n][dim];
    for (int i = 0; i < k * n; i++) {
      labelsOut[i] = i % k;
      for (int j = 0; j < dim; j++) {
        x[i][j] = (float) (centres[i % k][j] + r.nextGaussian());
      }
    }
    return x;
  }

  @Test
  void separableClustersAreLearnedAlmostPerfectly() {
    int[] y = new int[4 * 60];
    float[][] x = clusters(4, 60, 8, 6, 1, y);
    int[] yTest = new int[4 * 40];
    float[][] xTest = clusters(4, 40, 8, 6, 1, yTest); // same centres (same seed), fresh noise below
    Random noise = new Random(99);
    for (float[] row : xTest) {
      for (int j = 0; j < row.length; j++) {
        row[j] += (float) (noise.nextGaussian() * 0.1);
      }
    }
    LinearProbeModel model = LinearProbe.withDefaults().fit(x, y, 1.0, 0);
    ProbeResult result = model.evaluate(xTest, yTest);
    assertThat(result.accuracy()).isGreaterThanOrEqualTo(0.99);
    assertThat(result.macroAuc()).isGreaterThanOrEqualTo(0.999);
    assertThat(result.trainRows()).isEqualTo(240);
  }

  @Test
  void randomLabelsStayNearChance() {
    Random r = new Random(5);
    int n = 2000;
    float[][] x = new float[n][16];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 16; j++) {
        x[i][j] = (float) r.nextGaussian();
      }
      y[i] = r.nextInt(4);
    }
    LinearProbeModel model = new LinearProbe(1e-2, 200, 1e-6).fit(Arrays.copyOf(x, 1000), Arrays.copyOf(y, 1000));
    ProbeResult held = model.evaluate(Arrays.copyOfRange(x, 1000, n), Arrays.copyOfRange(y, 1000, n));
    // chance is 0.25; the standard error of an accuracy over 1000 rows is about 0.014
    assertThat(held.accuracy()).isBetween(0.19, 0.31);
    assertThat(held.macroAuc()).isBetween(0.45, 0.55);
  }

  @Test
  void fractionSelectionIsStratifiedAndSeeded() {
    int[] labels = new int[1000];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i < 900 ? 0 : i < 990 ? 1 : 2; // 900 / 90 / 10 rows
    }
    int[] rows = LinearProbe.stratifiedRows(labels, 0.1, 7);
    int[] perClass = new int[3];
    for (int i : rows) {
      perClass[labels[i]]++;
    }
    assertThat(perClass).containsExactly(90, 9, 1);
    assertThat(rows).isSorted().doesNotHaveDuplicates();
    assertThat(LinearProbe.stratifiedRows(labels, 0.1, 7)).isEqualTo(rows);
    assertThat(LinearProbe.stratifiedRows(labels, 0.1, 8)).isNotEqualTo(rows);
    // 1% of 10 rows rounds to 0: every class keeps at least one
    int[] tiny = LinearProbe.stratifiedRows(labels, 0.01, 7);
    assertThat(Arrays.stream(tiny).map(i -> labels[i]).distinct().count()).isEqualTo(3);
    assertThat(tiny).hasSize(9 + 1 + 1);
    assertThat(LinearProbe.stratifiedRows(labels, 1.0, 3)).hasSize(1000);
    assertThatThrownBy(() -> LinearProbe.stratifiedRows(labels, 0, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(0, 1]");
  }

  @Test
  void fitTrainsOnTheSelectedRowsOnly() {
    int[] y = new int[3 * 50];
    float[][] x = clusters(3, 50, 4, 5, 3, y);
    LinearProbeModel model = LinearProbe.withDefaults().fit(x, y, 0.1, 11);
    assertThat(model.trainingRows()).isEqualTo(LinearProbe.stratifiedRows(y, 0.1, 11)).hasSize(15);
  }

  @Test
  void lossDecreasesMonotonically() {
    int[] y = new int[3 * 80];
    float[][] x = clusters(3, 80, 5, 1.5, 4, y); // overlapping clusters: a non-trivial convex problem
    LinearProbeModel model = new LinearProbe(1e-3, 300, 1e-9).fit(x, y);
    List<Double> losses = model.lossHistory();
    assertThat(losses.size()).isGreaterThan(5);
    assertThat(losses.get(0)).isCloseTo(Math.log(3), within(1e-12)); // zero weights: uniform probabilities
    for (int i = 1; i < losses.size(); i++) {
      assertThat(losses.get(i)).as("step %d", i).isLessThan(losses.get(i - 1));
    }
    assertThat(model.gradientNorm()).isLessThan(1e-6);
  }

  @Test
  void twoClassOneFeatureOptimumHasZeroNumericalGradient() {
    float[][] x = {{-2}, {-1}, {-0.5f}, {0.3f}, {0.5f}, {1}, {2}, {-0.2f}};
    int[] y = {0, 0, 1, 0, 1, 1, 1, 0};
    double l2 = 0.1;
    LinearProbeModel model = new LinearProbe(l2, 500, 1e-10).fit(x, y);
    double[] theta = {model.weights()[0][0], model.weights()[1][0], model.biases()[0], model.biases()[1]};
    // the objective written out independently: mean cross-entropy + l2/2 (w0^2 + w1^2)
    double h = 1e-5;
    for (int p = 0; p < theta.length; p++) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[p] += h;
      minus[p] -= h;
      double numeric = (objective(plus, x, y, l2) - objective(minus, x, y, l2)) / (2 * h);
      assertThat(numeric).as("d/dtheta[%d]", p).isCloseTo(0, within(1e-7));
    }
    // the penalty makes the two weights opposite at the optimum, and the problem is not degenerate
    assertThat(theta[0]).isCloseTo(-theta[1], within(1e-8));
    assertThat(Math.abs(theta[1])).isGreaterThan(0.1);
    // and the optimum beats nearby points
    double best = objective(theta, x, y, l2);
    assertThat(objective(new double[] {theta[0] - 0.01, theta[1] + 0.01, theta[2], theta[3]}, x, y, l2))
        .isGreaterThan(best);
  }

  private static double objective(double[] t, float[][] x, int[] y, double l2) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double z0 = t[0] * x[i][0] + t[2];
      double z1 = t[1] * x[i][0] + t[3];
      double logNorm = Math.log(Math.exp(z0) + Math.exp(z1));
      sum += logNorm - (y[i] == 0 ? z0 : z1);
    }
    return sum / x.length + l2 / 2 * (t[0] * t[0] + t[1] * t[1]);
  }

  @Test
  void badInputIsRefused() {
    LinearProbe probe = LinearProbe.withDefaults();
    assertThatThrownBy(() -> probe.fit(new float[][] {{1}, {2, 3}}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
    assertThatThrownBy(() -> probe.fit(new float[][] {{1}}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 feature rows but 2 labels");
    assertThatThrownBy(() -> probe.fit(new float[][] {{Float.NaN}}, new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> new LinearProbe(-1, 10, 1e-6)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("l2");
  }
}
