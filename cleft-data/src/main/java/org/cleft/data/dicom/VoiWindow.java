package org.cleft.data.dicom;

/**
 * A linear VOI LUT window (PS3.3 C.11.2.1.2.1) mapping rescaled values to 0..255.
 *
 * @param center the window centre
 * @param width the window width, at least 1
 */
public record VoiWindow(double center, double width) {

  /**
   * Validates the width.
   *
   * @param center see the record description
   * @param width see the record description
   */
  public VoiWindow {
    if (!(width >= 1) || !Double.isFinite(center)) {
      throw new IllegalArgumentException("VOI window needs a finite centre and width >= 1, got centre "
          + center + " width " + width);
    }
  }

  /**
   * Applies the DICOM linear function with output range 0..255.
   *
   * @param x a rescaled (modality LUT) value
   * @return the display value, 0..255
   */
  public int apply(double x) {
    double lower = center - 0.5 - (width - 1) / 2;
    double upper = center - 0.5 + (width - 1) / 2;
    if (x <= lower) {
      return 0;
    }
    if (x > upper) {
      return 255;
    }
    double y = ((x - (center - 0.5)) / (width - 1) + 0.5) * 255;
    return (int) Math.round(Math.max(0, Math.min(255, y)));
  }
}
