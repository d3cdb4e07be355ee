package org.cleft.data.transform;

import java.util.random.RandomGenerator;
import org.cleft.data.image.UInt8Image;

/**
 * torchvision's {@code RandomHorizontalFlip(p)}: mirrors the image left to right with probability
 * {@code p} (one draw from the generator per call).
 *
 * @param probability the chance of flipping, 0..1
 */
public record HorizontalFlip(double probability) implements ImageTransform {

  /**
   * Validates the probability.
   *
   * @param probability the chance of flipping, 0..1
   */
  public HorizontalFlip {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("HorizontalFlip probability must be in [0, 1], got " + probability);
    }
  }

  @Override
  public UInt8Image apply(UInt8Image image, RandomGenerator random) {
    return random.nextDouble() < probability ? Crops.flipHorizontal(image) : image;
  }
}
