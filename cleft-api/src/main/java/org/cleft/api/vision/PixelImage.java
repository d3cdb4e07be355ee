package org.cleft.api.vision;

/**
 * A decoded 8-bit image, pixels interleaved row by row ({@code HWC}): grey ({@code channels() == 1}) or RGB
 * ({@code channels() == 3}). {@code cleft-data}'s {@code UInt8Image} is one; {@link
 * org.cleft.api.CleftModel#classify(PixelImage)} and {@link org.cleft.api.CleftModel#embedImage(PixelImage)} take
 * any.
 */
public interface PixelImage {

  /** {@return the width in pixels} */
  int width();

  /** {@return the height in pixels} */
  int height();

  /** {@return 1 (grey) or 3 (RGB)} */
  int channels();

  /** {@return {@code height() * width() * channels()} unsigned bytes, row by row (not copied: do not modify)} */
  byte[] data();
}
