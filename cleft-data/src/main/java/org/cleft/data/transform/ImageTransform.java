package org.cleft.data.transform;

import java.util.random.RandomGenerator;
import org.cleft.data.image.UInt8Image;

/**
 * One step of an image pipeline. Deterministic transforms ignore {@code random}; random ones draw
 * from it only, so the same generator state gives the same output.
 */
@FunctionalInterface
public interface ImageTransform {

  /**
   * Transforms an image.
   *
   * @param image the input, never modified
   * @param random the source of randomness for this sample
   * @return the output image (may be {@code image} itself when nothing changes)
   */
  UInt8Image apply(UInt8Image image, RandomGenerator random);
}
