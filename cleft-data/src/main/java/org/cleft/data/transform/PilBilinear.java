package org.cleft.data.transform;

import org.cleft.data.image.UInt8Image;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} for 8-bit images ({@code ImagingResample}): a
 * separable triangle filter whose support grows with the reduction factor (antialiasing),
 * coefficients normalised in double and rounded to 22-bit fixed point, a horizontal pass rounded to
 * 8 bits, then a vertical pass. This is what torchvision's {@code Resize} does to a PIL image.
 */
public final class PilBilinear {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PilBilinear() {}

  /** Fixed-point filter taps of one axis: per output pixel a first source index, a count, weights. */
  private record Taps(int ksize, int[] first, int[] count, int[] weights) {}

  /**
   * Resizes an image.
   *
   * @param image grey or RGB
   * @param width output width, positive
   * @param height output height, positive
   * @return the resized image
   */
  public static UInt8Image resize(UInt8Image image, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("resize target must be positive, got " + width + "x" + height);
    }
    Taps horizontal = taps(image.width(), width);
    Taps vertical = taps(image.height(), height);
    UInt8Image out = image;
    if (width != image.width()) {
      // Pillow resamples only the source rows that the vertical pass reads
      int firstRow = vertical.first()[0];
      int lastRow = vertical.first()[height - 1] + vertical.count()[height - 1];
      out = horizontal(image, firstRow, lastRow - firstRow, horizontal);
      if (height != image.height()) {
        int[] shifted = vertical.first().clone();
        for (int i = 0; i < shifted.length; i++) {
          shifted[i] -= firstRow;
        }
        vertical = new Taps(vertical.ksize(), shifted, vertical.count(), vertical.weights());
      }
    }
    if (height != image.height()) {
      out = vertical(out, vertical, height);
    }
    return out;
  }

  private static double triangle(double x) {
    x = Math.abs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
  }

  /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
  private static Taps taps(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = 1.0 * filterScale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] first = new int[outSize];
    int[] count = new int[outSize];
    int[] weights = new int[outSize * ksize];
    double[] k = new double[ksize];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ss = 1.0 / filterScale;
      int xmin = Math.max(0, (int) (center - support + 0.5));
      int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
      double ww = 0.0;
      for (int x = 0; x < xmax; x++) {
        k[x] = triangle((x + xmin - center + 0.5) * ss);
        ww += k[x];
      }
      for (int x = 0; x < xmax; x++) {
        double v = ww != 0.0 ? k[x] / ww : k[x];
        weights[xx * ksize + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
      }
      first[xx] = xmin;
      count[xx] = xmax;
    }
    return new Taps(ksize, first, count, weights);
  }

  private static int clip8(int v) {
    if (v < 0) {
      return 0;
    }
    v >>= PRECISION_BITS;
    return Math.min(v, 255);
  }

  private static UInt8Image horizontal(UInt8Image in, int row0, int rows, Taps t) {
    int cn = in.channels();
    int w = t.first().length;
    byte[] src = in.data();
    byte[] out = new byte[w * rows * cn];
    for (int y = 0; y < rows; y++) {
      int rowStart = (y + row0) * in.width() * cn;
      for (int xx = 0; xx < w; xx++) {
        int base = xx * t.ksize();
        for (int c = 0; c < cn; c++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int x = 0; x < t.count()[xx]; x++) {
            ss += (src[rowStart + (x + t.first()[xx]) * cn + c] & 0xFF) * t.weights()[base + x];
          }
          out[(y * w + xx) * cn + c] = (byte) clip8(ss);
        }
      }
    }
    return new UInt8Image(w, rows, cn, out);
  }

  private static UInt8Image vertical(UInt8Image in, Taps t, int height) {
    int cn = in.channels();
    int rowLen = in.width() * cn;
    byte[] src = in.data();
    byte[] out = new byte[rowLen * height];
    for (int yy = 0; yy < height; yy++) {
      int base = yy * t.ksize();
      for (int i = 0; i < rowLen; i++) {
        int ss = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < t.count()[yy]; y++) {
          ss += (src[(y + t.first()[yy]) * rowLen + i] & 0xFF) * t.weights()[base + y];
        }
        out[yy * rowLen + i] = (byte) clip8(ss);
      }
    }
    return new UInt8Image(in.width(), height, cn, out);
  }
}
