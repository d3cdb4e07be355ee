package org.cleft.data.image;

/**
 * Conversions to 8-bit grey exactly as OpenCV performs them ({@code imread(path, IMREAD_GRAYSCALE)} and
 * {@code cvtColor}), so that decoded pixels match the reference Python pipeline bit for bit.
 */
public final class GreyLevels {
  private GreyLevels() {}

  /**
   * RGB to grey with OpenCV's fixed-point BT.601 weights ({@code cvtColor(RGB2GRAY)} for 8-bit:
   * 0.299/0.587/0.114 as 4899/9617/1868 over 2^14, rounded half up).
   *
   * @param r red, 0..255
   * @param g green, 0..255
   * @param b blue, 0..255
   * @return grey, 0..255
   */
  public static int rgbToGrey(int r, int g, int b) {
    return (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14;
  }

  /**
   * RGB to grey as OpenCV's PNG decoder gets it from libpng ({@code png_set_rgb_to_gray(1, 0.299,
   * 0.587)} without gamma): 15-bit weights 9797/19234/3737, truncated, at the sample depth (8 or 16
   * bits); equal channels pass through unchanged. Checked against {@code cv2.imread} on an RGB PNG.
   *
   * @param r red sample
   * @param g green sample
   * @param b blue sample
   * @return the grey sample at the same depth
   */
  public static int pngRgbToGrey(int r, int g, int b) {
    if (r == g && g == b) {
      return r;
    }
    return (int) ((9797L * r + 19234L * g + 3737L * b) >> 15);
  }

  /**
   * A 16-bit sample reduced to 8 bits as OpenCV's PNG decoder does it (libpng
   * {@code png_set_strip_16}: the high byte).
   *
   * @param v sample, 0..65535
   * @return 0..255
   */
  public static int from16(int v) {
    return v >>> 8;
  }

  /**
   * A sample of {@code bits} bits (1, 2, 4, 8 or 16) expanded or reduced to 8 bits as libpng does.
   *
   * @param v the sample
   * @param bits bits per sample
   * @return 0..255
   */
  public static int to8(int v, int bits) {
    if (bits == 8) {
      return v;
    }
    if (bits == 16) {
      return from16(v);
    }
    if (bits < 8) {
      return v * 255 / ((1 << bits) - 1);
    }
    return v >>> (bits - 8);
  }
}
