package org.cleft.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;
import org.cleft.api.safetensors.SafetensorsFile;

/** The tiny fixture's inputs and expected tensors, as every backend's tests read them. */
public final class TinyReference {
  private TinyReference() {}

  /**
   * {@return the fixture's {@code pixel_values} as an image batch}
   *
   * @throws IOException when the fixture cannot be read
   */
  public static ImageBatch pixels() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("inputs.safetensors"))) {
      long[] s = f.info("pixel_values").shape();
      return new ImageBatch(f.floats("pixel_values"), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
    }
  }

  /**
   * {@return the fixture's {@code input_ids} and {@code attention_mask} as a token batch}
   *
   * @throws IOException when the fixture cannot be read
   */
  public static TokenBatch tokens() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("inputs.safetensors"))) {
      long[] s = f.info("input_ids").shape();
      return new TokenBatch(f.longs("input_ids"), f.longs("attention_mask"), (int) s[0], (int) s[1]);
    }
  }

  /**
   * {@return an expected tensor of {@code expected.safetensors}, as floats}
   *
   * @param name the tensor name
   * @throws IOException when the fixture cannot be read
   */
  public static float[] expected(String name) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("expected.safetensors"))) {
      return f.floats(name);
    }
  }

  /**
   * {@return a list of strings from the fixture's {@code fixture.json}}
   *
   * @param field the field, e.g. {@code texts} or {@code class_names}
   * @throws IOException when the fixture cannot be read
   */
  public static List<String> strings(String field) throws IOException {
    JsonNode n = new ObjectMapper().readTree(Files.readString(Fixtures.tiny().resolve("fixture.json"))).get(field);
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.asText()));
    return out;
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
