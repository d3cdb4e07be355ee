package org.cleft.data.transform;

import org.cleft.data.image.UInt8Image;

/**
 * OpenCV's {@code INTER_AREA} when enlarging: bilinear interpolation with area-mode weights in
 * 11-bit fixed point (OpenCV's {@code INTER_RESIZE_COEF_BITS}); package-private helper. Not covered
 * by the reference fixture, so equality with OpenCV is expected but unverified here.
 */
final class AreaLinear {
  private static final int COEF_SCALE = 1 << 11;

  private AreaLinear() {}

  /** Source index and fixed-point weights for each output coordinate. */
  private record Axis(int[] index, int[] w0, int[] w1) {}

  static UInt8Image resize(UInt8Image src, int dw, int dh, double scaleX, double scaleY) {
    int cn = src.channels();
    Axis xs = axis(src.width(), dw, scaleX);
    Axis ys = axis(src.height(), dh, scaleY);
    int sw = src.width();
    byte[] in = src.data();
    byte[] out = new byte[dw * dh * cn];
    int[] row0 = new int[dw * cn];
    int[] row1 = new int[dw * cn];
    for (int dy = 0; dy < dh; dy++) {
      int sy = ys.index()[dy];
      horizontal(in, sy * sw * cn, xs, cn, sw, row0);
      horizontal(in, Math.min(sy + 1, src.height() - 1) * sw * cn, xs, cn, sw, row1);
      int b0 = ys.w0()[dy];
      int b1 = ys.w1()[dy];
      for (int i = 0; i < row0.length; i++) {
        // OpenCV's vectorised VResizeLinear for 8-bit
        int v = (((b0 * (row0[i] >> 4)) >> 16) + ((b1 * (row1[i] >> 4)) >> 16) + 2) >> 2;
        out[dy * dw * cn + i] = (byte) Math.max(0, Math.min(255, v));
      }
    }
    return new UInt8Image(dw, dh, cn, out);
  }

  private static void horizontal(byte[] in, int rowStart, Axis xs, int cn, int sw, int[] row) {
    for (int dx = 0; dx < xs.index().length; dx++) {
      int sx = xs.index()[dx];
      int sx1 = Math.min(sx + 1, sw - 1);
      for (int c = 0; c < cn; c++) {
        row[dx * cn + c] = (in[rowStart + sx * cn + c] & 0xFF) * xs.w0()[dx]
            + (in[rowStart + sx1 * cn + c] & 0xFF) * xs.w1()[dx];
      }
    }
  }

  private static Axis axis(int ssize, int dsize, double scale) {
    double invScale = (double) dsize / ssize;
    int[] index = new int[dsize];
    int[] w0 = new int[dsize];
    int[] w1 = new int[dsize];
    for (int d = 0; d < dsize; d++) {
      int s = (int) Math.floor(d * scale);
      float f = (float) ((d + 1) - (s + 1) * invScale);
      f = f <= 0 ? 0.f : f - (float) Math.floor(f);
      if (s >= ssize - 1) {
        s = ssize - 1;
        f = 0;
      }
      index[d] = s;
      w0[d] = (int) Math.rint((1.f - f) * COEF_SCALE);
      w1[d] = (int) Math.rint(f * COEF_SCALE);
    }
    return new Axis(index, w0, w1);
  }
}
