package org.cleft.data.transform;

/**
 * A rectangle of pixels with inclusive bounds, as the reference Otsu crop reports it.
 *
 * @param top first row
 * @param bottom last row (inclusive)
 * @param left first column
 * @param right last column (inclusive)
 */
public record CropBox(int top, int bottom, int left, int right) {

  /**
   * Validates the bounds.
   *
   * @param top first row
   * @param bottom last row (inclusive)
   * @param left first column
   * @param right last column (inclusive)
   */
  public CropBox {
    if (top < 0 || left < 0 || bottom < top || right < left) {
      throw new IllegalArgumentException("bad crop box rows " + top + ".." + bottom + ", columns " + left + ".." + right);
    }
  }

  /** {@return width in pixels} */
  public int width() {
    return right - left + 1;
  }

  /** {@return height in pixels} */
  public int height() {
    return bottom - top + 1;
  }
}
