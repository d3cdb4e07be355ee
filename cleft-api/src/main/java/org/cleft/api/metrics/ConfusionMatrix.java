package org.cleft.api.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs: row = truth, column = prediction, as
 * scikit-learn's {@code confusion_matrix}. Immutable.
 */
public final class ConfusionMatrix {
  private final List<String> classNames;
  private final long[][] counts;

  private ConfusionMatrix(List<String> classNames, long[][] counts) {
    this.classNames = classNames;
    this.counts = counts;
  }

  /**
   * Tallies predictions against the truth.
   *
   * @param predicted predicted class per sample, in {@code [0, classNames.size())}
   * @param truth true class per sample, as many as {@code predicted}
   * @param classNames a name per class, used by {@link #toString()}
   * @return the matrix
   * @throws IllegalArgumentException if the lengths differ, there are no classes, or a class is out of range
   */
  public static ConfusionMatrix of(int[] predicted, int[] truth, List<String> classNames) {
    int k = classNames.size();
    if (k == 0) {
      throw new IllegalArgumentException("ConfusionMatrix needs at least one class");
    }
    if (predicted.length != truth.length) {
      throw new IllegalArgumentException("predicted has " + predicted.length + " entries but truth has " + truth.length);
    }
    long[][] counts = new long[k][k];
    for (int i = 0; i < truth.length; i++) {
      counts[checkClass(truth[i], k, "truth", i)][checkClass(predicted[i], k, "predicted", i)]++;
    }
    return new ConfusionMatrix(List.copyOf(classNames), counts);
  }

  /**
   * Tallies predictions against the truth for classes named {@code "0"}, {@code "1"}, ...
   *
   * @param predicted predicted class per sample, in {@code [0, numClasses)}
   * @param truth true class per sample
   * @param numClasses number of classes
   * @return the matrix
   */
  public static ConfusionMatrix of(int[] predicted, int[] truth, int numClasses) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < numClasses; c++) {
      names.add(Integer.toString(c));
    }
    return of(predicted, truth, names);
  }

  private static int checkClass(int c, int k, String what, int i) {
    if (c < 0 || c >= k) {
      throw new IllegalArgumentException(what + "[" + i + "] = " + c + " is not a class in [0, " + k + ")");
    }
    return c;
  }

  /** {@return number of classes} */
  public int size() {
    return counts.length;
  }

  /** {@return the class names, in class order} */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * How many samples of class {@code truth} were predicted as {@code predicted}.
   *
   * @param truth the true class (row)
   * @param predicted the predicted class (column)
   * @return the count
   */
  public long count(int truth, int predicted) {
    return counts[truth][predicted];
  }

  /** {@return a copy of the counts, {@code [truth][predicted]}} */
  public long[][] counts() {
    long[][] out = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i].clone();
    }
    return out;
  }

  /** {@return number of samples} */
  public long total() {
    long n = 0;
    for (long[] row : counts) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  /**
   * {@return samples of class {@code c} (the row sum)}
   *
   * @param c the class index
   */
  public long support(int c) {
    return Arrays.stream(counts[c]).sum();
  }

  /** {@return the fraction of samples on the diagonal; NaN when there are none} */
  public double accuracy() {
    long correct = 0;
    for (int c = 0; c < counts.length; c++) {
      correct += counts[c][c];
    }
    return (double) correct / total();
  }

  /**
   * Recall of class {@code c}: correct predictions of it over its samples.
   *
   * @param c a class
   * @return the recall, NaN when the class has no samples
   */
  public double recall(int c) {
    return (double) counts[c][c] / support(c);
  }

  /**
   * Precision of class {@code c}: correct predictions of it over all predictions of it.
   *
   * @param c a class
   * @return the precision, NaN when it was never predicted
   */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : counts) {
      predicted += row[c];
    }
    return (double) counts[c][c] / predicted;
  }

  /** The counts as a table with class names, then recall, precision and support per class. */
  @Override
  public String toString() {
    int width = "truth \\ pred".length();
    for (String name : classNames) {
      width = Math.max(width, name.length());
    }
    for (long[] row : counts) {
      for (long v : row) {
        width = Math.max(width, Long.toString(v).length());
      }
    }
    width = Math.max(width, "precision".length());
    String cell = "%" + (width + 2) + "s";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-" + width + "s", "truth \\ pred"));
    classNames.forEach(n -> sb.append(String.format(Locale.ROOT, cell, n)));
    for (String h : List.of("recall", "precision", "support")) {
      sb.append(String.format(Locale.ROOT, cell, h));
    }
    sb.append('\n');
    for (int t = 0; t < counts.length; t++) {
      sb.append(String.format(Locale.ROOT, "%-" + width + "s", classNames.get(t)));
      for (long v : counts[t]) {
        sb.append(String.format(Locale.ROOT, cell, v));
      }
      sb.append(String.format(Locale.ROOT, cell, String.format(Locale.ROOT, "%.4f", recall(t))));
      sb.append(String.format(Locale.ROOT, cell, String.format(Locale.ROOT, "%.4f", precision(t))));
      sb.append(String.format(Locale.ROOT, cell, support(t))).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "accuracy %.4f over %d samples", accuracy(), total()));
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix m && m.classNames.equals(classNames) && Arrays.deepEquals(m.counts, counts);
  }

  @Override
  public int hashCode() {
    return classNames.hashCode() * 31 + Arrays.deepHashCode(counts);
  }
}
