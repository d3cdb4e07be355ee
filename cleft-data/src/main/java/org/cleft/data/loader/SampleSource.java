package org.cleft.data.loader;

import java.util.List;

/** A random-access collection of samples, as a dataset exposes it to the loader. */
public interface SampleSource {

  /** {@return number of samples} */
  int size();

  /**
   * The sample at {@code index}; called from worker threads, so implementations must be
   * thread-safe (reading immutable metadata is).
   *
   * @param index 0 to {@code size() - 1}
   * @return the sample
   */
  Sample get(int index);

  /**
   * A source over a fixed list.
   *
   * @param samples the samples
   * @return the source
   */
  static SampleSource of(List<Sample> samples) {
    List<Sample> copy = List.copyOf(samples);
    return new SampleSource() {
      @Override
      public int size() {
        return copy.size();
      }

      @Override
      public Sample get(int index) {
        return copy.get(index);
      }
    };
  }
}
