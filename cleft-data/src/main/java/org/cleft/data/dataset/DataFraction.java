package org.cleft.data.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded sub-sampling for the 1% / 10% / 100% label-efficiency experiments. */
public final class DataFraction {
  private DataFraction() {
  }

  /**
   * A seeded random subset of {@code ceil(fraction * n)} items (at least one when the list is not
   * empty), in their original order. The same seed and list always give the same subset, and a smaller
   * fraction's subset is contained in a larger one's.
   *
   * @param items the full list
   * @param fraction in (0, 1]
   * @param seed the random seed
   * @param <T> the item type
   * @return the subset
   */
  public static <T> List<T> sample(List<T> items, double fraction, long seed) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int n = items.isEmpty() ? 0 : Math.max(1, (int) Math.ceil(fraction * items.size() - 1e-9));
    List<Integer> chosen = new ArrayList<>(order.subList(0, n));
    Collections.sort(chosen);
    List<T> out = new ArrayList<>(n);
    chosen.forEach(i -> out.add(items.get(i)));
    return out;
  }
}
