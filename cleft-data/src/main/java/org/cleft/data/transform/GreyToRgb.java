package org.cleft.data.transform;

import java.util.random.RandomGenerator;
import org.cleft.data.image.UInt8Image;

/** Grey to RGB by repeating the channel (PIL's {@code convert("RGB")}); RGB passes through. */
public record GreyToRgb() implements ImageTransform {

  @Override
  public UInt8Image apply(UInt8Image image, RandomGenerator random) {
    if (image.channels() == 3) {
      return image;
    }
    byte[] in = image.data();
    byte[] out = new byte[in.length * 3];
    for (int i = 0; i < in.length; i++) {
      out[3 * i] = in[i];
      out[3 * i + 1] = in[i];
      out[3 * i + 2] = in[i];
    }
    return new UInt8Image(image.width(), image.height(), 3, out);
  }
}
