package org.cleft.data.image;

/**
 * The one pixel limit of every image path (PNG, JPEG and DICOM decoding, hence {@code data inspect}, training,
 * evaluation, {@code embed} and {@code classify}): an image whose header announces more pixels is refused before
 * any pixel buffer is allocated (a decompression-bomb guard: a 2 MB PNG can announce 46,000 x 46,000 pixels).
 * The default, 2^28 pixels (16,384 x 16,384, far above any radiograph or mammogram), can be changed with
 * {@code -Dcleft.image.maxPixels=N}.
 */
public final class PixelLimit {
  /** The system property that sets the limit. */
  public static final String PROPERTY = "cleft.image.maxPixels";
  /** The default limit: 2^28 pixels. */
  public static final long DEFAULT = 1L << 28;

  private PixelLimit() {}

  /**
   * {@return the limit: {@value #PROPERTY} when set to a positive number, else {@link #DEFAULT}}
   *
   * @throws IllegalArgumentException when the property is set but not a positive whole number
   */
  public static long get() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      return DEFAULT;
    }
    try {
      long limit = Long.parseLong(value.strip());
      if (limit > 0) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + PROPERTY + " must be a positive whole number of pixels, got '" + value
        + "'");
  }
}
