package org.cleft.testkit;

import java.io.IOException;
import java.util.List;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;

/** The tiny fixture's inputs and expected tensors, as every backend's tests read them. */
public final class TinyReference {
  private TinyReference() {}

  /**
   * {@return the fixture's {@code pixel_values} as an image batch}
   *
   * @throws IOException when the fixture cannot be read
   */
  public static ImageBatch pixels() throws IOException {
    return tiny().pixels();
  }

  /**
   * {@return the fixture's {@code input_ids} and {@code attention_mask} as a token batch}
   *
   * @throws IOException when the fixture cannot be read
   */
  public static TokenBatch tokens() throws IOException {
    return tiny().tokens();
  }

  /**
   * {@return an expected tensor of {@code expected.safetensors}, as floats}
   *
   * @param name the tensor name
   * @throws IOException when the fixture cannot be read
   */
  public static float[] expected(String name) throws IOException {
    return tiny().expected(name);
  }

  /**
   * {@return a list of strings from the fixture's {@code fixture.json}}
   *
   * @param field the field, e.g. {@code texts} or {@code class_names}
   * @throws IOException when the fixture cannot be read
   */
  public static List<String> strings(String field) throws IOException {
    return tiny().strings(field);
  }

  private static Reference tiny() {
    return new Reference("tiny", Fixtures.tiny());
  }

  /**
   * {@return the largest absolute difference between two arrays of the same length}
   *
   * @param a one array
   * @param b the other
   * @throws AssertionError when the lengths differ
   */
  public static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs((double) a[i] - b[i]));
    }
    return d;
  }
}
