package org.cleft.data.transform;

import java.util.random.RandomGenerator;
import org.cleft.data.image.UInt8Image;

/**
 * torchvision's {@code Resize((height, width))} on a PIL image: Pillow's antialiased bilinear
 * resampling ({@link PilBilinear}).
 *
 * @param width output width, positive
 * @param height output height, positive
 */
public record BilinearResize(int width, int height) implements ImageTransform {

  /**
   * Validates the size.
   *
   * @param width output width, positive
   * @param height output height, positive
   */
  public BilinearResize {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("BilinearResize size must be positive, got " + width + "x" + height);
    }
  }

  @Override
  public UInt8Image apply(UInt8Image image, RandomGenerator random) {
    return PilBilinear.resize(image, width, height);
  }
}
