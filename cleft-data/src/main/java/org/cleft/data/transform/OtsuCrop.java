package org.cleft.data.transform;

import java.util.Optional;
import java.util.random.RandomGenerator;
import org.cleft.data.image.GreyLevels;
import org.cleft.data.image.UInt8Image;

/**
 * The reference {@code OtsuCut}: converts to grey ({@code cvtColor RGB2GRAY}), thresholds with
 * Otsu's method exactly as OpenCV computes it, and crops to the bounding box of the pixels above the
 * threshold. An image with no foreground is returned unchanged.
 */
public record OtsuCrop() implements ImageTransform {

  @Override
  public UInt8Image apply(UInt8Image image, RandomGenerator random) {
    return box(image).map(b -> Crops.crop(image, b.left(), b.top(), b.width(), b.height())).orElse(image);
  }

  /**
   * The foreground box of an image.
   *
   * @param image grey or RGB
   * @return the bounding box of pixels above the Otsu threshold, empty when there are none
   */
  public static Optional<CropBox> box(UInt8Image image) {
    byte[] grey = grey(image);
    int t = threshold(grey);
    int w = image.width();
    int top = Integer.MAX_VALUE, bottom = -1, left = Integer.MAX_VALUE, right = -1;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < w; x++) {
        if ((grey[y * w + x] & 0xFF) > t) {
          top = Math.min(top, y);
          bottom = y;
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    return bottom < 0 ? Optional.empty() : Optional.of(new CropBox(top, bottom, left, right));
  }

  /**
   * Otsu's threshold of 8-bit grey values, as OpenCV's {@code getThreshVal_Otsu_8u} computes it
   * (double precision, first maximum of the between-class variance wins).
   *
   * @param grey the grey values
   * @return the threshold, 0..255; pixels strictly above it are foreground
   */
  public static int threshold(byte[] grey) {
    int[] h = new int[256];
    for (byte b : grey) {
      h[b & 0xFF]++;
    }
    double scale = 1.0 / grey.length;
    double mu = 0;
    for (int i = 0; i < 256; i++) {
      mu += i * (double) h[i];
    }
    mu *= scale;
    double mu1 = 0, q1 = 0, maxSigma = 0;
    int maxVal = 0;
    double eps = Math.ulp(1.0f); // FLT_EPSILON
    for (int i = 0; i < 256; i++) {
      double pi = h[i] * scale;
      mu1 *= q1;
      q1 += pi;
      double q2 = 1. - q1;
      if (Math.min(q1, q2) < eps || Math.max(q1, q2) > 1. - eps) {
        continue;
      }
      mu1 = (mu1 + i * pi) / q1;
      double mu2 = (mu - q1 * mu1) / q2;
      double sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
      if (sigma > maxSigma) {
        maxSigma = sigma;
        maxVal = i;
      }
    }
    return maxVal;
  }

  private static byte[] grey(UInt8Image image) {
    if (image.channels() == 1) {
      return image.data();
    }
    byte[] in = image.data();
    byte[] out = new byte[image.width() * image.height()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) GreyLevels.rgbToGrey(in[3 * i] & 0xFF, in[3 * i + 1] & 0xFF, in[3 * i + 2] & 0xFF);
    }
    return out;
  }
}
