package org.cleft.data.image;

import java.util.Arrays;
import org.cleft.api.vision.PixelImage;

/**
 * An 8-bit image, pixels interleaved row by row ({@code HWC}): grey ({@code channels == 1}) or RGB
 * ({@code channels == 3}). The common currency between decoders (PNG, JPEG, DICOM) and transforms; as a
 * {@link PixelImage}, the one-call methods of {@code CleftModel} take it.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param channels 1 (grey) or 3 (RGB)
 * @param data {@code height * width * channels} unsigned bytes
 */
public record UInt8Image(int width, int height, int channels, byte[] data) implements PixelImage {

  /**
   * Validates the dimensions against the data length.
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param channels 1 (grey) or 3 (RGB)
   * @param data {@code height * width * channels} unsigned bytes
   */
  public UInt8Image {
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
      throw new IllegalArgumentException(
          "UInt8Image needs positive size and 1 or 3 channels, got " + width + "x" + height + "x" + channels);
    }
    if (data == null || data.length != (long) width * height * channels) {
      throw new IllegalArgumentException("UInt8Image " + width + "x" + height + "x" + channels + ": expected "
          + (long) width * height * channels + " bytes, got " + (data == null ? "null" : data.length));
    }
  }

  /**
   * {@return a black image}
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param channels channels per pixel
   */
  public static UInt8Image zeros(int width, int height, int channels) {
    return new UInt8Image(width, height, channels, new byte[width * height * channels]);
  }

  /**
   * {@return the value at ({@code x}, {@code y}) in channel {@code c}, 0..255}
   *
   * @param x the column
   * @param y the row
   * @param c the channel
   */
  public int get(int x, int y, int c) {
    return data[(y * width + x) * channels + c] & 0xFF;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UInt8Image i && i.width == width && i.height == height && i.channels == channels
        && Arrays.equals(i.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + width * 7 + height * 13 + channels;
  }

  @Override
  public String toString() {
    return "UInt8Image[" + width + "x" + height + "x" + channels + "]";
  }
}
