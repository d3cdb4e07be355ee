package org.cleft.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;
import org.cleft.api.safetensors.SafetensorsFile;

/**
 * One HuggingFace reference fixture (the tiny model or a variant): its inputs ({@code inputs.safetensors}), the
 * tensors HF computed from them ({@code expected.safetensors}) and its texts ({@code fixture.json}).
 *
 * @param name the fixture's name ({@code tiny} or a variant's)
 * @param directory the fixture folder, a checkpoint every backend loads
 */
public record Reference(String name, Path directory) {

  /** {@return the tiny fixture and every variant, tiny first} */
  public static List<Reference> all() {
    List<Reference> out = new ArrayList<>();
    out.add(new Reference("tiny", Fixtures.tiny()));
    for (String v : Fixtures.variantNames()) {
      out.add(new Reference(v, Fixtures.variant(v)));
    }
    return out;
  }

  /**
   * {@return the fixture's {@code pixel_values} as an image batch}
   *
   * @throws IOException when the fixture cannot be read
   */
  public ImageBatch pixels() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(directory.resolve("inputs.safetensors"))) {
      long[] s = f.info("pixel_values").shape();
      return new ImageBatch(f.floats("pixel_values"), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
    }
  }

  /**
   * {@return the fixture's {@code input_ids} and {@code attention_mask} as a token batch}
   *
   * @throws IOException when the fixture cannot be read
   */
  public TokenBatch tokens() throws IOException {
    return tokens("");
  }

  /**
   * {@return a token batch of {@code inputs.safetensors}: {@code <prefix>input_ids} and
   * {@code <prefix>attention_mask} (the prefix {@code zero_shot_} gives the class captions, cut at the generator's
   * {@code max_words})}
   *
   * @param prefix the tensor name prefix, empty for the report texts
   * @throws IOException when the fixture cannot be read
   */
  public TokenBatch tokens(String prefix) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(directory.resolve("inputs.safetensors"))) {
      long[] s = f.info(prefix + "input_ids").shape();
      return new TokenBatch(f.longs(prefix + "input_ids"), f.longs(prefix + "attention_mask"), (int) s[0], (int) s[1]);
    }
  }

  /**
   * {@return an expected tensor of {@code expected.safetensors}, as floats}
   *
   * @param tensor the tensor name
   * @throws IOException when the fixture cannot be read
   */
  public float[] expected(String tensor) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(directory.resolve("expected.safetensors"))) {
      return f.floats(tensor);
    }
  }

  /**
   * {@return a list of strings from the fixture's {@code fixture.json}}
   *
   * @param field the field, e.g. {@code texts} or {@code class_names}
   * @throws IOException when the fixture cannot be read
   */
  public List<String> strings(String field) throws IOException {
    JsonNode n = new ObjectMapper().readTree(Files.readString(directory.resolve("fixture.json"))).get(field);
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.asText()));
    return out;
  }

  @Override
  public String toString() {
    return name;
  }
}
