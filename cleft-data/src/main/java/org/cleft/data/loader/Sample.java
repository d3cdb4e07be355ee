package org.cleft.data.loader;

import java.nio.file.Path;
import org.cleft.data.image.ImageDecoder;

/**
 * One training or evaluation example: an image, its caption and its multi-hot labels.
 *
 * @param image where the image comes from
 * @param text the caption (may be empty)
 * @param labels multi-hot labels, the same length for every sample of a source (may be empty)
 */
public record Sample(ImageSource image, String text, float[] labels) {

  /**
   * Validates the fields and copies the labels.
   *
   * @param image where the image comes from
   * @param text the caption (may be empty)
   * @param labels multi-hot labels, the same length for every sample of a source (may be empty)
   */
  public Sample {
    if (image == null || text == null || labels == null) {
      throw new IllegalArgumentException("Sample needs an image source, a text and labels (use \"\" and new float[0])");
    }
    labels = labels.clone();
  }

  /**
   * A sample whose image is a file decoded by its bytes ({@link ImageSource#file(Path)}).
   *
   * @param file a DICOM, PNG, JPEG or TIFF file
   * @param text the caption
   * @param labels multi-hot labels
   * @return the sample
   */
  public static Sample ofFile(Path file, String text, float[] labels) {
    return new Sample(ImageSource.file(file), text, labels);
  }

  /** {@return the labels (a copy)} */
  @Override
  public float[] labels() {
    return labels.clone();
  }
}
