package org.cleft.api;

import java.util.Arrays;

/**
 * A batch of images as float32 pixels in NCHW order (batch, channels, height, width), already
 * transformed and normalised. Engine-neutral: every backend accepts it.
 *
 * <p>Filled by {@link CleftModel#preprocess(java.util.List)} (files, decoded and preprocessed as the model takes
 * them), by {@code cleft-data}'s {@code ImagePipeline.evaluation(size)} / {@code ImagePipeline.training(size)}
 * (one image, as {@code ImageTensor}) or by its {@code BatchLoader} (batches of a data set, augmented for
 * training). The size must be the model's ({@link CleftModel#imageSize()}).
 *
 * @param pixels the pixel values, {@code batch * channels * height * width} floats, row-major
 * @param batch number of images
 * @param channels channels per image (3 for the CLEFT towers)
 * @param height image height in pixels
 * @param width image width in pixels
 */
public record ImageBatch(float[] pixels, int batch, int channels, int height, int width) {

  /**
   * Validates the dimensions against the pixel count.
   *
   * @param pixels the pixel values, {@code batch * channels * height * width} floats, row-major
   * @param batch number of images
   * @param channels channels per image (3 for the CLEFT towers)
   * @param height image height in pixels
   * @param width image width in pixels
   */
  public ImageBatch {
    if (batch <= 0 || channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "ImageBatch dimensions must be positive, got [" + batch + "," + channels + "," + height + "," + width + "]");
    }
    long expected = (long) batch * channels * height * width;
    if (pixels == null || pixels.length != expected) {
      throw new IllegalArgumentException("ImageBatch pixels: expected " + expected + " floats for ["
          + batch + "," + channels + "," + height + "," + width + "], got "
          + (pixels == null ? "null" : pixels.length));
    }
  }

  /** {@return number of floats in one image} */
  public int imageSize() {
    return channels * height * width;
  }

  /** {@return the shape as {@code [batch, channels, height, width]}} */
  public long[] shape() {
    return new long[] {batch, channels, height, width};
  }

  /**
   * {@return a batch holding images {@code [from, to)} of this one}
   *
   * @param from the first image, inclusive
   * @param to the last image, exclusive
   */
  public ImageBatch slice(int from, int to) {
    if (from < 0 || to > batch || from >= to) {
      throw new IndexOutOfBoundsException("slice [" + from + "," + to + ") of a batch of " + batch);
    }
    int size = imageSize();
    return new ImageBatch(Arrays.copyOfRange(pixels, from * size, to * size), to - from, channels, height, width);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageBatch b && b.batch == batch && b.channels == channels && b.height == height
        && b.width == width && Arrays.equals(b.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(pixels) + java.util.Objects.hash(batch, channels, height, width);
  }

  @Override
  public String toString() {
    return "ImageBatch[" + batch + "," + channels + "," + height + "," + width + "]";
  }
}
