package org.cleft.data.transform;

import org.cleft.data.image.UInt8Image;

/**
 * torchvision's {@code ToTensor()} followed by {@code Normalize(mean, std)}: HWC bytes to CHW
 * floats {@code (v / 255 - mean[c]) / std[c]}, computed in float32 in torchvision's order.
 *
 * @param mean per-channel mean, one value per channel
 * @param std per-channel standard deviation, positive
 */
public record Normalization(float[] mean, float[] std) {

  /** The CLEFT reference: mean 0.5, std 0.5 on three channels (pixels in [-1, 1]). */
  public static final Normalization HALF = new Normalization(new float[] {0.5f, 0.5f, 0.5f},
      new float[] {0.5f, 0.5f, 0.5f});

  /**
   * Validates and copies the arrays.
   *
   * @param mean per-channel mean, one value per channel
   * @param std per-channel standard deviation, positive
   */
  public Normalization {
    if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException("Normalization mean and std need the same, non-zero length");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("Normalization std must be positive, got " + s);
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** {@return the per-channel means (a copy)} */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** {@return the per-channel standard deviations (a copy)} */
  @Override
  public float[] std() {
    return std.clone();
  }

  /**
   * Converts an image.
   *
   * @param image an image with as many channels as this normalisation has
   * @return the normalised CHW tensor
   */
  public ImageTensor apply(UInt8Image image) {
    int cn = image.channels();
    if (cn != mean.length) {
      throw new IllegalArgumentException("Normalization for " + mean.length + " channels applied to " + image);
    }
    int plane = image.width() * image.height();
    float[] out = new float[cn * plane];
    byte[] in = image.data();
    for (int c = 0; c < cn; c++) {
      float m = mean[c];
      float s = std[c];
      for (int i = 0; i < plane; i++) {
        out[c * plane + i] = ((in[i * cn + c] & 0xFF) / 255f - m) / s;
      }
    }
    return new ImageTensor(out, cn, image.height(), image.width());
  }
}
