package org.cleft.data.dicom;

import java.util.Optional;
import org.cleft.data.image.UInt8Image;

/**
 * The first frame of a DICOM image after the modality LUT (the Modality LUT Sequence, else rescale slope and
 * intercept), before the VOI transform (window or VOI LUT): the values a radiologist's Hounsfield or raw-detector
 * scale refers to.
 *
 * @param width columns
 * @param height rows
 * @param channels 1 (monochrome) or 3 (RGB)
 * @param values {@code height * width * channels} values, interleaved per pixel
 * @param photometric the Photometric Interpretation, e.g. {@code MONOCHROME2}
 * @param window the first window from the file, if it had a usable one
 * @param voiLut the first VOI LUT of the file's VOI LUT Sequence (0028,3010), if it had one; it takes precedence
 *     over the window, as in pydicom's {@code apply_voi_lut}
 */
public record DicomPixels(int width, int height, int channels, float[] values, String photometric,
    Optional<VoiWindow> window, Optional<LookupTable> voiLut) {

  /**
   * Validates the sizes.
   *
   * @param width see the record description
   * @param height see the record description
   * @param channels see the record description
   * @param values see the record description
   * @param photometric see the record description
   * @param window see the record description
   * @param voiLut see the record description
   */
  public DicomPixels {
    if (values.length != (long) width * height * channels) {
      throw new IllegalArgumentException("DicomPixels " + width + "x" + height + "x" + channels
          + " needs " + (long) width * height * channels + " values, got " + values.length);
    }
  }

  /**
   * Pixels without a VOI LUT.
   *
   * @param width see the record description
   * @param height see the record description
   * @param channels see the record description
   * @param values see the record description
   * @param photometric see the record description
   * @param window see the record description
   */
  public DicomPixels(int width, int height, int channels, float[] values, String photometric,
      Optional<VoiWindow> window) {
    this(width, height, channels, values, photometric, window, Optional.empty());
  }

  /**
   * Converts to 8 bits: monochrome through the file's VOI LUT (its output range scaled to 0..255), else its
   * window, else min-max scaling, then inverted for MONOCHROME1 so that bright always means dense; colour values
   * are clamped to 0..255.
   *
   * @return the display image
   */
  public UInt8Image toUInt8() {
    if (channels == 1 && voiLut.isPresent()) {
      LookupTable lut = voiLut.get();
      boolean invert = "MONOCHROME1".equals(photometric);
      byte[] out = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        int y = lut.display(values[i]);
        out[i] = (byte) (invert ? 255 - y : y);
      }
      return new UInt8Image(width, height, 1, out);
    }
    return toUInt8(window);
  }

  /**
   * Converts to 8 bits with an explicit window (or min-max scaling when empty), ignoring the file's VOI LUT.
   *
   * @param voi the window to apply to monochrome images
   * @return the display image
   */
  public UInt8Image toUInt8(Optional<VoiWindow> voi) {
    byte[] out = new byte[values.length];
    if (channels == 3) {
      for (int i = 0; i < values.length; i++) {
        out[i] = (byte) Math.max(0, Math.min(255, Math.round(values[i])));
      }
      return new UInt8Image(width, height, 3, out);
    }
    boolean invert = "MONOCHROME1".equals(photometric);
    VoiWindow w = voi.orElseGet(this::minMaxWindow);
    for (int i = 0; i < values.length; i++) {
      int y = w.apply(values[i]);
      out[i] = (byte) (invert ? 255 - y : y);
    }
    return new UInt8Image(width, height, 1, out);
  }

  /** A window spanning [min, max] exactly: min maps to 0, max to 255. */
  private VoiWindow minMaxWindow() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // With the linear function, width w and centre c: x = c - 0.5 - (w-1)/2 maps to 0 and
    // x = c - 0.5 + (w-1)/2 maps to 255, so w = max - min + 1 and c = (min + max + 1) / 2.
    double width = Math.max(1, max - min + 1);
    return new VoiWindow(min + 0.5 + (width - 1) / 2, width);
  }
}
