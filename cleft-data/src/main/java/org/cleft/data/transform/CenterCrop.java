package org.cleft.data.transform;

import java.util.random.RandomGenerator;
import org.cleft.data.image.UInt8Image;

/**
 * torchvision's {@code CenterCrop(size)}: pads with zeros when the image is smaller, then crops the
 * centre with offsets {@code round((H - size) / 2)} (Python's round half to even).
 *
 * @param size the side of the square output, positive
 */
public record CenterCrop(int size) implements ImageTransform {

  /**
   * Validates the size.
   *
   * @param size the side of the square output, positive
   */
  public CenterCrop {
    if (size <= 0) {
      throw new IllegalArgumentException("CenterCrop size must be positive, got " + size);
    }
  }

  @Override
  public UInt8Image apply(UInt8Image image, RandomGenerator random) {
    UInt8Image in = image;
    if (size > in.width() || size > in.height()) {
      int padLeft = size > in.width() ? (size - in.width()) / 2 : 0;
      int padTop = size > in.height() ? (size - in.height()) / 2 : 0;
      int padRight = size > in.width() ? (size - in.width() + 1) / 2 : 0;
      int padBottom = size > in.height() ? (size - in.height() + 1) / 2 : 0;
      in = Crops.place(in, in.width() + padLeft + padRight, in.height() + padTop + padBottom, padLeft, padTop);
    }
    int top = (int) Math.rint((in.height() - size) / 2.0);
    int left = (int) Math.rint((in.width() - size) / 2.0);
    return Crops.crop(in, left, top, size, size);
  }
}
