package org.cleft.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cleft.api.ImageBatch;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.testkit.Fixtures;

/** Reads inputs and expected tensors of the tiny reference fixture for the DJL tests. */
final class TinyFixture {
  private TinyFixture() {}

  static ImageBatch pixels() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("inputs.safetensors"))) {
      long[] s = f.info("pixel_values").shape();
      return new ImageBatch(f.floats("pixel_values"), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
    }
  }

  static float[] expected(String name) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("expected.safetensors"))) {
      return f.floats(name);
    }
  }

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
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
