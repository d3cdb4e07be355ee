package org.cleft.data.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.cleft.data.manifest.Sample;

/**
 * A seeded train / valid / test split with as many positives as negatives in every part (the majority
 * class is down-sampled), for single-label binary sets such as RSNA pneumonia.
 *
 * @param train the training samples
 * @param valid the validation samples
 * @param test the test samples
 */
public record BalancedSplit(List<Sample> train, List<Sample> valid, List<Sample> test) {

  /**
   * Copies the lists.
   *
   * @param train see the record description
   * @param valid see the record description
   * @param test see the record description
   */
  public BalancedSplit {
    train = List.copyOf(train);
    valid = List.copyOf(valid);
    test = List.copyOf(test);
  }

  /**
   * Splits on label 0 (value 1 positive): each class is shuffled with the seed, cut to the smaller
   * class's size, then divided by the fractions; the test part gets the remainder.
   *
   * @param samples single-label samples
   * @param trainFraction share for training, in [0, 1]
   * @param validFraction share for validation; {@code trainFraction + validFraction <= 1}
   * @param seed the shuffling seed
   * @return the split, each part in shuffled order
   */
  public static BalancedSplit of(List<Sample> samples, double trainFraction, double validFraction, long seed) {
    if (trainFraction < 0 || validFraction < 0 || trainFraction + validFraction > 1 + 1e-9) {
      throw new IllegalArgumentException("fractions must be >= 0 and sum to <= 1, got train " + trainFraction
          + " valid " + validFraction);
    }
    List<Sample> pos = new ArrayList<>();
    List<Sample> neg = new ArrayList<>();
    samples.forEach(s -> (s.labels()[0] == 1f ? pos : neg).add(s));
    Random random = new Random(seed);
    Collections.shuffle(pos, random);
    Collections.shuffle(neg, random);
    int n = Math.min(pos.size(), neg.size());
    int nTrain = (int) Math.floor(n * trainFraction);
    int nValid = (int) Math.floor(n * validFraction);
    List<Sample> train = interleave(pos.subList(0, nTrain), neg.subList(0, nTrain), random);
    List<Sample> valid = interleave(pos.subList(nTrain, nTrain + nValid), neg.subList(nTrain, nTrain + nValid), random);
    List<Sample> test = interleave(pos.subList(nTrain + nValid, n), neg.subList(nTrain + nValid, n), random);
    return new BalancedSplit(train, valid, test);
  }

  private static List<Sample> interleave(List<Sample> a, List<Sample> b, Random random) {
    List<Sample> out = new ArrayList<>(a);
    out.addAll(b);
    Collections.shuffle(out, random);
    return out;
  }
}
