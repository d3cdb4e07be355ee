package org.cleft.data.manifest;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One image with its text and labels.
 *
 * @param image the image file (absolute or relative to the working directory)
 * @param text the report or caption
 * @param labels one value per class of the data set: 1 positive, 0 negative, NaN unknown (ignored)
 * @param row the 1-based line number of the source row, for tracing back
 */
public record Sample(Path image, String text, float[] labels, int row) {

  /**
   * Copies the labels so the sample stays immutable.
   *
   * @param image see the record description
   * @param text see the record description
   * @param labels see the record description
   * @param row see the record description
   */
  public Sample {
    labels = labels.clone();
  }

  /**
   * A copy of the labels.
   *
   * @return one value per class
   */
  @Override
  public float[] labels() {
    return labels.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s && s.image.equals(image) && s.text.equals(text) && Arrays.equals(s.labels, labels)
        && s.row == row;
  }

  @Override
  public int hashCode() {
    return image.hashCode() * 31 + Arrays.hashCode(labels) + row;
  }

  @Override
  public String toString() {
    return "Sample[" + image + ", '" + text + "', " + Arrays.toString(labels) + ", row " + row + "]";
  }
}
