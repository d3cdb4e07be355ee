package org.cleft.data.transform;

import org.cleft.data.image.UInt8Image;

/**
 * OpenCV's {@code cv2.resize(..., interpolation=INTER_AREA)} for 8-bit images, reproduced step by
 * step: integer factors average whole blocks (2x2 rounds half up as OpenCV's SIMD path does), other
 * reductions weight partial source pixels by their covered area in float, and enlargements fall
 * back to OpenCV's area-mode bilinear weights in 11-bit fixed point.
 */
public final class AreaResize {
  private static final double DBL_EPSILON = Math.ulp(1.0);

  private AreaResize() {}

  /**
   * Resizes an image.
   *
   * @param src the image, grey or RGB
   * @param width the output width, positive
   * @param height the output height, positive
   * @return the resized image
   */
  public static UInt8Image resize(UInt8Image src, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("resize target must be positive, got " + width + "x" + height);
    }
    if (width == src.width() && height == src.height()) {
      return src;
    }
    // as OpenCV: scale = 1 / (dst / src)
    double scaleX = 1.0 / ((double) width / src.width());
    double scaleY = 1.0 / ((double) height / src.height());
    if (scaleX >= 1 && scaleY >= 1) {
      int ix = (int) Math.rint(scaleX);
      int iy = (int) Math.rint(scaleY);
      if (Math.abs(scaleX - ix) < DBL_EPSILON && Math.abs(scaleY - iy) < DBL_EPSILON) {
        return AreaBlocks.resize(src, width, height, ix, iy);
      }
      return AreaWeights.resize(src, width, height, scaleX, scaleY);
    }
    return AreaLinear.resize(src, width, height, scaleX, scaleY);
  }
}
