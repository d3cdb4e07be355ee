package org.cleft.data.transform;

import org.cleft.data.image.UInt8Image;

/** OpenCV's {@code resizeAreaFast_}: averages of whole integer blocks; package-private helper. */
final class AreaBlocks {
  private AreaBlocks() {}

  static UInt8Image resize(UInt8Image src, int dw, int dh, int sx, int sy) {
    int cn = src.channels();
    int sw = src.width();
    byte[] in = src.data();
    byte[] out = new byte[dw * dh * cn];
    float scale = 1.f / (sx * sy);
    boolean twoByTwo = sx == 2 && sy == 2;
    for (int dy = 0; dy < dh; dy++) {
      for (int dx = 0; dx < dw; dx++) {
        for (int c = 0; c < cn; c++) {
          int sum = 0;
          int count = 0;
          for (int y = dy * sy; y < Math.min(dy * sy + sy, src.height()); y++) {
            for (int x = dx * sx; x < Math.min(dx * sx + sx, sw); x++) {
              sum += in[(y * sw + x) * cn + c] & 0xFF;
              count++;
            }
          }
          int v;
          if (count == sx * sy) {
            v = twoByTwo ? (sum + 2) >> 2 : (int) Math.rint(sum * scale);
          } else {
            v = count == 0 ? 0 : (int) Math.rint((float) sum / count);
          }
          out[(dy * dw + dx) * cn + c] = (byte) Math.min(255, v);
        }
      }
    }
    return new UInt8Image(dw, dh, cn, out);
  }
}
