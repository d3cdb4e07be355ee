package org.cleft.api.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Linear probing: a multinomial (softmax) logistic regression with L2 on the weights, trained by
 * full-batch L-BFGS on frozen features. Reusable and immutable: {@link #fit} returns a new
 * {@link LinearProbeModel} and never changes the probe.
 *
 * <p>The objective is {@code (1/n) sum_i -log p(y_i | x_i) + (l2/2) ||W||^2}; the biases are not
 * penalised. Training stops when every gradient component is at most {@code tolerance}, after
 * {@code maxIterations} steps, or when a step no longer lowers the objective.
 *
 * @param l2 the weight penalty, at least 0
 * @param maxIterations the most L-BFGS steps, positive
 * @param tolerance the gradient size (largest absolute component) that counts as converged, positive
 */
public record LinearProbe(double l2, int maxIterations, double tolerance) {

  /**
   * Validates the settings.
   *
   * @param l2 the weight penalty, at least 0
   * @param maxIterations the most L-BFGS steps, positive
   * @param tolerance the converged gradient size, positive
   */
  public LinearProbe {
    if (!(l2 >= 0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("LinearProbe l2 must be a finite number >= 0, got " + l2);
    }
    if (maxIterations <= 0) {
      throw new IllegalArgumentException("LinearProbe maxIterations must be positive, got " + maxIterations);
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("LinearProbe tolerance must be positive, got " + tolerance);
    }
  }

  /**
   * The defaults: {@code l2 = 1e-4}, 1,000 iterations, tolerance {@code 1e-6}.
   *
   * @return the probe
   */
  public static LinearProbe withDefaults() {
    return new LinearProbe(1e-4, 1000, 1e-6);
  }

  /**
   * Trains on a stratified, seeded {@code fraction} of the rows ({@link #stratifiedRows}).
   *
   * @param features one feature row per sample, all the same width
   * @param labels the class of each row, {@code 0..k-1}; {@code k} is the largest label plus one
   * @param fraction the share of rows to train on, in (0, 1]
   * @param seed the selection seed
   * @return the trained model
   * @throws IllegalArgumentException for empty or ragged features, mismatched lengths, negative
   *     labels, non-finite features, or a fraction outside (0, 1]
   */
  public LinearProbeModel fit(float[][] features, int[] labels, double fraction, long seed) {
    int classes = checkInput(features, labels);
    int[] rows = stratifiedRows(labels, fraction, seed);
    float[][] x = new float[rows.length][];
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      x[i] = features[rows[i]];
      y[i] = labels[rows[i]];
    }
    SoftmaxObjective objective = new SoftmaxObjective(x, y, classes, l2);
    Lbfgs.Result r = Lbfgs.minimise(objective::evaluate, new double[objective.size()], maxIterations, tolerance);
    return new LinearProbeModel(r.x(), classes, features[0].length, rows, r.losses(), r.gradientNorm());
  }

  /**
   * Trains on every row.
   *
   * @param features one feature row per sample
   * @param labels the class of each row
   * @return the trained model
   */
  public LinearProbeModel fit(float[][] features, int[] labels) {
    return fit(features, labels, 1.0, 0);
  }

  /**
   * Picks a stratified share of the rows: of each class's {@code n_c} rows, {@code round(fraction * n_c)}
   * but at least one, chosen by a seeded shuffle that visits the classes in ascending order. The same
   * labels, fraction and seed always give the same rows.
   *
   * @param labels the class of each row, at least 0
   * @param fraction in (0, 1]; 1 keeps every row
   * @param seed the shuffle seed
   * @return the chosen row indices, ascending
   */
  public static int[] stratifiedRows(int[] labels, double fraction, long seed) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("linear probe fraction must be in (0, 1], got " + fraction);
    }
    int classes = Arrays.stream(labels).max().orElse(-1) + 1;
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    Random random = new Random(seed);
    List<Integer> chosen = new ArrayList<>();
    for (List<Integer> rows : byClass) {
      if (rows.isEmpty()) {
        continue;
      }
      java.util.Collections.shuffle(rows, random);
      int take = Math.max(1, (int) Math.round(fraction * rows.size()));
      chosen.addAll(rows.subList(0, Math.min(take, rows.size())));
    }
    return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  private static int checkInput(float[][] features, int[] labels) {
    if (features.length == 0) {
      throw new IllegalArgumentException("linear probe needs at least one training row");
    }
    if (features.length != labels.length) {
      throw new IllegalArgumentException("linear probe: " + features.length + " feature rows but "
          + labels.length + " labels");
    }
    int dim = features[0].length;
    int max = 0;
    for (int i = 0; i < features.length; i++) {
      LinearProbeModel.checkRow(features[i], dim, i);
      if (labels[i] < 0) {
        throw new IllegalArgumentException("linear probe: label[" + i + "] = " + labels[i] + " is negative");
      }
      max = Math.max(max, labels[i]);
    }
    return Math.max(2, max + 1);
  }
}
