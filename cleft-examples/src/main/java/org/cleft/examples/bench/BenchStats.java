package org.cleft.examples.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of measured times. */
final class BenchStats {
  private BenchStats() {}

  /** {@return the median (the mean of the middle two for an even count); NaN when empty} */
  static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
