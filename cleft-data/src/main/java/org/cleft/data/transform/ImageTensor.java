package org.cleft.data.transform;

/**
 * A float image in CHW order (channels, height, width), the output of a pipeline.
 *
 * @param data {@code channels * height * width} floats, row-major per channel
 * @param channels number of channels
 * @param height height in pixels
 * @param width width in pixels
 */
public record ImageTensor(float[] data, int channels, int height, int width) {

  /**
   * Validates the dimensions against the data length.
   *
   * @param data {@code channels * height * width} floats, row-major per channel
   * @param channels number of channels
   * @param height height in pixels
   * @param width width in pixels
   */
  public ImageTensor {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("ImageTensor dimensions must be positive, got ["
          + channels + "," + height + "," + width + "]");
    }
    if (data == null || data.length != (long) channels * height * width) {
      throw new IllegalArgumentException("ImageTensor [" + channels + "," + height + "," + width + "]: expected "
          + (long) channels * height * width + " floats, got " + (data == null ? "null" : data.length));
    }
  }

  /**
   * {@return the value at channel {@code c}, row {@code y}, column {@code x}}
   *
   * @param c the channel
   * @param y the row
   * @param x the column
   */
  public float get(int c, int y, int x) {
    return data[(c * height + y) * width + x];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageTensor t && t.channels == channels && t.height == height && t.width == width
        && java.util.Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(data) + channels * 7 + height * 13 + width;
  }

  @Override
  public String toString() {
    return "ImageTensor[" + channels + "," + height + "," + width + "]";
  }
}
