package org.cleft.data.loader;

import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from (seed, epoch, index), so that a sample's
 * augmentation does not depend on which thread processes it or in which order.
 */
public final class SampleSeeds {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  /** The pseudo-index of the per-epoch shuffle stream. */
  static final long SHUFFLE = -1;

  private SampleSeeds() {}

  /**
   * The generator of one sample in one epoch.
   *
   * @param seed the run's seed
   * @param epoch the epoch
   * @param index the sample's index in its source (or {@code -1} for the epoch's shuffle)
   * @return a fresh generator
   */
  public static SplittableRandom random(long seed, long epoch, long index) {
    long h = mix(seed + GOLDEN);
    h = mix(h ^ (epoch * GOLDEN + 0x632BE59BD9B4E019L));
    h = mix(h ^ (index * GOLDEN + 0x85157AF5L));
    return new SplittableRandom(h);
  }

  /** The order of {@code size} indices in {@code epoch}: a seeded Fisher-Yates shuffle, or identity. */
  static int[] order(int size, long seed, long epoch, boolean shuffle) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom random = random(seed, epoch, SHUFFLE);
      for (int i = size - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Stafford's variant 13 of the MurmurHash3 finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
