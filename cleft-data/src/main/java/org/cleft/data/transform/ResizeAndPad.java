package org.cleft.data.transform;

import java.util.random.RandomGenerator;
import org.cleft.data.image.UInt8Image;

/**
 * The reference {@code resize_img}: resizes the longer side to {@code size} with OpenCV
 * {@code INTER_AREA} semantics (the shorter side is {@code int(short * size / long)}, truncated),
 * then pads the shorter side with zeros to a {@code size x size} square, the extra pixel of an odd
 * padding going to the right or bottom.
 *
 * @param size the side of the square output, positive
 */
public record ResizeAndPad(int size) implements ImageTransform {

  /**
   * Validates the size.
   *
   * @param size the side of the square output, positive
   */
  public ResizeAndPad {
    if (size <= 0) {
      throw new IllegalArgumentException("ResizeAndPad size must be positive, got " + size);
    }
  }

  @Override
  public UInt8Image apply(UInt8Image image, RandomGenerator random) {
    int h = image.height();
    int w = image.width();
    boolean tall = h >= w; // Python's shape.index(max) picks rows on a tie
    int rows = tall ? size : Math.max(1, (int) ((double) h * (size / (double) w)));
    int cols = tall ? Math.max(1, (int) ((double) w * (size / (double) h))) : size;
    UInt8Image resized = AreaResize.resize(image, cols, rows);
    int padX = size - cols;
    int padY = size - rows;
    return Crops.place(resized, size, size, padX / 2, padY / 2);
  }
}
