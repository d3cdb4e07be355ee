package org.cleft.data.transform;

import java.util.random.RandomGenerator;
import org.cleft.data.image.UInt8Image;

/**
 * torchvision's {@code RandomResizedCrop(size, scale, ratio)}: up to ten tries at a crop whose area
 * is a uniform fraction of the image in {@code [minScale, maxScale]} and whose aspect ratio is
 * log-uniform in {@code [minRatio, maxRatio]}, then a centre crop clamped to the ratio range as the
 * fallback; the crop is resized to {@code size x size} with Pillow's antialiased bilinear filter.
 * Same algorithm as torchvision, with draws from the given generator instead of torch's.
 *
 * @param size output side, positive
 * @param minScale smallest crop area as a fraction of the image, in (0, maxScale]
 * @param maxScale largest crop area fraction, at most 1
 * @param minRatio smallest width/height ratio, positive
 * @param maxRatio largest width/height ratio, at least {@code minRatio}
 */
public record RandomResizedCrop(int size, double minScale, double maxScale, double minRatio, double maxRatio)
    implements ImageTransform {

  /**
   * Validates the ranges.
   *
   * @param size output side, positive
   * @param minScale smallest crop area as a fraction of the image, in (0, maxScale]
   * @param maxScale largest crop area fraction, at most 1
   * @param minRatio smallest width/height ratio, positive
   * @param maxRatio largest width/height ratio, at least {@code minRatio}
   */
  public RandomResizedCrop {
    if (size <= 0) {
      throw new IllegalArgumentException("RandomResizedCrop size must be positive, got " + size);
    }
    if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
      throw new IllegalArgumentException("RandomResizedCrop scale must satisfy 0 < min <= max <= 1, got ["
          + minScale + ", " + maxScale + "]");
    }
    if (!(minRatio > 0 && minRatio <= maxRatio)) {
      throw new IllegalArgumentException("RandomResizedCrop ratio must satisfy 0 < min <= max, got ["
          + minRatio + ", " + maxRatio + "]");
    }
  }

  /**
   * torchvision's defaults: scale (0.08, 1), ratio (3/4, 4/3).
   *
   * @param size output side
   * @return the transform
   */
  public static RandomResizedCrop withDefaults(int size) {
    return new RandomResizedCrop(size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
  }

  @Override
  public UInt8Image apply(UInt8Image image, RandomGenerator random) {
    CropBox box = sample(image.width(), image.height(), random);
    UInt8Image crop = Crops.crop(image, box.left(), box.top(), box.width(), box.height());
    return PilBilinear.resize(crop, size, size);
  }

  /**
   * Draws a crop box as torchvision's {@code get_params} does.
   *
   * @param width image width
   * @param height image height
   * @param random the generator
   * @return the box, inside the image
   */
  public CropBox sample(int width, int height, RandomGenerator random) {
    double area = (double) width * height;
    double logMin = Math.log(minRatio);
    double logMax = Math.log(maxRatio);
    for (int attempt = 0; attempt < 10; attempt++) {
      double targetArea = area * uniform(random, minScale, maxScale);
      double aspect = Math.exp(uniform(random, logMin, logMax));
      int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
      int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int top = random.nextInt(height - h + 1);
        int left = random.nextInt(width - w + 1);
        return new CropBox(top, top + h - 1, left, left + w - 1);
      }
    }
    double inRatio = (double) width / height;
    int w = width;
    int h = height;
    if (inRatio < minRatio) {
      h = (int) Math.rint(w / minRatio);
    } else if (inRatio > maxRatio) {
      w = (int) Math.rint(h * maxRatio);
    }
    int top = (height - h) / 2;
    int left = (width - w) / 2;
    return new CropBox(top, top + h - 1, left, left + w - 1);
  }

  private static double uniform(RandomGenerator random, double from, double to) {
    return from == to ? from : from + (to - from) * random.nextDouble();
  }
}
