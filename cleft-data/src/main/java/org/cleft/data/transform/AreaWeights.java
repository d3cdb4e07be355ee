package org.cleft.data.transform;

import org.cleft.data.image.UInt8Image;

/**
 * OpenCV's {@code resizeArea_} for non-integer reductions: each output pixel is the area-weighted
 * mean of the source pixels it covers, accumulated in float in OpenCV's order and rounded half to
 * even; package-private helper.
 */
final class AreaWeights {
  private AreaWeights() {}

  /** One weight: output index, source index, fraction. */
  private record Tap(int di, int si, float alpha) {}

  static UInt8Image resize(UInt8Image src, int dw, int dh, double scaleX, double scaleY) {
    int cn = src.channels();
    Tap[] xtab = table(src.width(), dw, scaleX);
    Tap[] ytab = table(src.height(), dh, scaleY);
    byte[] in = src.data();
    byte[] out = new byte[dw * dh * cn];
    int rowLen = dw * cn;
    float[] buf = new float[rowLen];
    float[] sum = new float[rowLen];
    int prevDy = ytab[0].di();
    for (Tap yt : ytab) {
      java.util.Arrays.fill(buf, 0f);
      int rowStart = yt.si() * src.width() * cn;
      for (Tap xt : xtab) {
        for (int c = 0; c < cn; c++) {
          buf[xt.di() * cn + c] += (in[rowStart + xt.si() * cn + c] & 0xFF) * xt.alpha();
        }
      }
      float beta = yt.alpha();
      if (yt.di() != prevDy) {
        store(sum, out, prevDy * rowLen);
        for (int i = 0; i < rowLen; i++) {
          sum[i] = beta * buf[i];
        }
        prevDy = yt.di();
      } else {
        for (int i = 0; i < rowLen; i++) {
          sum[i] += beta * buf[i];
        }
      }
    }
    store(sum, out, prevDy * rowLen);
    return new UInt8Image(dw, dh, cn, out);
  }

  private static void store(float[] sum, byte[] out, int offset) {
    for (int i = 0; i < sum.length; i++) {
      out[offset + i] = (byte) Math.max(0, Math.min(255, (int) Math.rint(sum[i])));
    }
  }

  /** OpenCV's {@code computeResizeAreaTab}. */
  private static Tap[] table(int ssize, int dsize, double scale) {
    java.util.List<Tap> tab = new java.util.ArrayList<>();
    for (int dx = 0; dx < dsize; dx++) {
      double fsx1 = dx * scale;
      double fsx2 = fsx1 + scale;
      double cellWidth = Math.min(scale, ssize - fsx1);
      int sx1 = (int) Math.ceil(fsx1);
      int sx2 = (int) Math.floor(fsx2);
      sx2 = Math.min(sx2, ssize - 1);
      sx1 = Math.min(sx1, sx2);
      if (sx1 - fsx1 > 1e-3) {
        tab.add(new Tap(dx, sx1 - 1, (float) ((sx1 - fsx1) / cellWidth)));
      }
      for (int sx = sx1; sx < sx2; sx++) {
        tab.add(new Tap(dx, sx, (float) (1.0 / cellWidth)));
      }
      if (fsx2 - sx2 > 1e-3) {
        tab.add(new Tap(dx, sx2, (float) (Math.min(Math.min(fsx2 - sx2, 1.), cellWidth) / cellWidth)));
      }
    }
    return tab.toArray(new Tap[0]);
  }
}
