package org.cleft.data.transform;

import org.cleft.data.image.UInt8Image;

/** Cropping, padding and flipping of 8-bit images; package-private helper. */
final class Crops {
  private Crops() {}

  /** The rectangle at ({@code left}, {@code top}) of size {@code width x height}, inside the image. */
  static UInt8Image crop(UInt8Image image, int left, int top, int width, int height) {
    if (left < 0 || top < 0 || width <= 0 || height <= 0 || left + width > image.width()
        || top + height > image.height()) {
      throw new IllegalArgumentException("crop " + width + "x" + height + " at (" + left + "," + top
          + ") outside " + image);
    }
    if (left == 0 && top == 0 && width == image.width() && height == image.height()) {
      return image;
    }
    int cn = image.channels();
    byte[] out = new byte[width * height * cn];
    for (int y = 0; y < height; y++) {
      System.arraycopy(image.data(), ((top + y) * image.width() + left) * cn, out, y * width * cn, width * cn);
    }
    return new UInt8Image(width, height, cn, out);
  }

  /** A black {@code width x height} canvas with {@code image} placed at ({@code left}, {@code top}). */
  static UInt8Image place(UInt8Image image, int width, int height, int left, int top) {
    if (left == 0 && top == 0 && width == image.width() && height == image.height()) {
      return image;
    }
    int cn = image.channels();
    byte[] out = new byte[width * height * cn];
    for (int y = 0; y < image.height(); y++) {
      System.arraycopy(image.data(), y * image.width() * cn, out, ((top + y) * width + left) * cn,
          image.width() * cn);
    }
    return new UInt8Image(width, height, cn, out);
  }

  /** The image mirrored left to right. */
  static UInt8Image flipHorizontal(UInt8Image image) {
    int cn = image.channels();
    int w = image.width();
    byte[] out = new byte[image.data().length];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(image.data(), (y * w + x) * cn, out, (y * w + (w - 1 - x)) * cn, cn);
      }
    }
    return new UInt8Image(w, image.height(), cn, out);
  }
}
