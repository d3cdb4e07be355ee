package org.cleft.data.manifest;

import java.util.List;

/**
 * The result of loading a data set: usable samples, the class names their labels refer to, and what
 * was skipped.
 *
 * @param name a short name, e.g. "chexpert"
 * @param classNames the class of each label position
 * @param samples the usable samples, in file order
 * @param skips the rows skipped or filtered out
 */
public record LoadedDataset(String name, List<String> classNames, List<Sample> samples, SkipReport skips) {

  /**
   * Copies the lists.
   *
   * @param name see the record description
   * @param classNames see the record description
   * @param samples see the record description
   * @param skips see the record description
   */
  public LoadedDataset {
    classNames = List.copyOf(classNames);
    samples = List.copyOf(samples);
  }

  /**
   * The number of samples positive for each class (label value 1).
   *
   * @return one count per class name
   */
  public int[] positivesPerClass() {
    int[] counts = new int[classNames.size()];
    for (Sample s : samples) {
      float[] l = s.labels();
      for (int i = 0; i < counts.length && i < l.length; i++) {
        if (l[i] == 1f) {
          counts[i]++;
        }
      }
    }
    return counts;
  }
}
