package org.cleft.data.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.cleft.data.testing.SafetensorsTestReader;
import org.cleft.testkit.Fixtures;

/** Access to the preprocessing fixture's expected arrays as images, for tests. */
public final class PreprocessFixture {
  /** The five cases of the fixture. */
  public static final List<String> CASES = List.of("gray8_tall", "gray8_wide", "gray16", "rgb8", "jpeg8");

  private static SafetensorsTestReader expected;

  private PreprocessFixture() {}

  /** The expected tensors. */
  public static synchronized SafetensorsTestReader expected() {
    if (expected == null) {
      try {
        expected = SafetensorsTestReader.open(Fixtures.preprocess().resolve("expected.safetensors"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return expected;
  }

  /** The image file of a case. */
  public static Path file(String name) {
    return Fixtures.preprocess().resolve("images").resolve(name + (name.startsWith("jpeg") ? ".jpg" : ".png"));
  }

  /** An expected uint8 stage ([H,W] or [H,W,3]) as an image. */
  public static UInt8Image image(String tensor) {
    long[] shape = expected().shape(tensor);
    long[] values = expected().integers(tensor);
    byte[] data = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      data[i] = (byte) values[i];
    }
    return new UInt8Image((int) shape[1], (int) shape[0], shape.length == 3 ? (int) shape[2] : 1, data);
  }

  /** The largest absolute difference between two images of the same shape. */
  public static int maxDiff(UInt8Image a, UInt8Image b) {
    int max = 0;
    for (int i = 0; i < a.data().length; i++) {
      max = Math.max(max, Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF)));
    }
    return max;
  }

  /** How many values differ between two images of the same shape. */
  public static int countDiff(UInt8Image a, UInt8Image b) {
    int n = 0;
    for (int i = 0; i < a.data().length; i++) {
      n += a.data()[i] != b.data()[i] ? 1 : 0;
    }
    return n;
  }
}
