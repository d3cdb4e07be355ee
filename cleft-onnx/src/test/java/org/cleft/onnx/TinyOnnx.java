package org.cleft.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.testkit.Fixtures;

/** Inputs and expected tensors of the tiny reference fixture for the ONNX tests. */
final class TinyOnnx {
  private TinyOnnx() {}

  static ImageBatch pixels() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("inputs.safetensors"))) {
      long[] s = f.info("pixel_values").shape();
      return new ImageBatch(f.floats("pixel_values"), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
    }
  }

  static TokenBatch tokens() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("inputs.safetensors"))) {
      long[] s = f.info("input_ids").shape();
      return new TokenBatch(f.longs("input_ids"), f.longs("attention_mask"), (int) s[0], (int) s[1]);
    }
  }

  static float[] expected(String name) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("expected.safetensors"))) {
      return f.floats(name);
    }
  }

  /** A list of strings from the fixture's {@code fixture.json}. */
  static List<String> strings(String field) throws IOException {
    JsonNode n = new ObjectMapper().readTree(Files.readString(Fixtures.tiny().resolve("fixture.json"))).get(field);
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.asText()));
    return out;
  }

  static double maxAbsDiff(float[] a, float[] b) {
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
