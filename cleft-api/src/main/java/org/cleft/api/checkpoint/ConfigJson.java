package org.cleft.api.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the fields of a JSON config file ({@code config.json}, {@code adapter_config.json}) with defaults,
 * naming the file and the field on error: what a {@link ModelConfigReader} reads a model family's config with.
 */
public final class ConfigJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private final Path file;
  private final JsonNode root;

  private ConfigJson(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /**
   * {@return the JSON object in {@code file}}
   *
   * @param file the file
   * @throws CheckpointException naming the file when it is missing or not a JSON object
   */
  public static ConfigJson read(Path file) throws CheckpointException {
    try {
      JsonNode node = MAPPER.readTree(Files.readString(file));
      if (node == null || !node.isObject()) {
        throw new CheckpointException(file + ": expected a JSON object");
      }
      return new ConfigJson(file, node);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": file not found", e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read JSON: " + e.getMessage(), e);
    }
  }

  /** {@return the file read} */
  public Path file() {
    return file;
  }

  /** {@return the whole object} */
  public JsonNode node() {
    return root;
  }

  private JsonNode present(String field) {
    JsonNode n = root.get(field);
    return n == null || n.isNull() ? null : n;
  }

  /**
   * {@return a string field, or {@code dflt} when absent or null}
   *
   * @param field the field
   * @param dflt the default
   * @throws CheckpointException naming the file and the field when it is not a string
   */
  public String string(String field, String dflt) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw bad(field, "a string", n);
    }
    return n.asText();
  }

  /**
   * {@return an integer field, or {@code dflt} when absent or null}
   *
   * @param field the field
   * @param dflt the default
   * @throws CheckpointException naming the file and the field when it is not an integer
   */
  public int integer(String field, int dflt) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isIntegralNumber()) {
      throw bad(field, "an integer", n);
    }
    return n.asInt();
  }

  /**
   * {@return an integer field, or null when absent or null}
   *
   * @param field the field
   * @throws CheckpointException naming the file and the field when it is not an integer
   */
  public Integer optionalInteger(String field) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber()) {
      throw bad(field, "an integer or null", n);
    }
    return n.asInt();
  }

  /**
   * {@return a number field, or {@code dflt} when absent or null}
   *
   * @param field the field
   * @param dflt the default
   * @throws CheckpointException naming the file and the field when it is not a number
   */
  public double number(String field, double dflt) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isNumber()) {
      throw bad(field, "a number", n);
    }
    return n.asDouble();
  }

  /**
   * {@return a boolean field, or {@code dflt} when absent or null}
   *
   * @param field the field
   * @param dflt the default
   * @throws CheckpointException naming the file and the field when it is not a boolean
   */
  public boolean bool(String field, boolean dflt) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw bad(field, "true or false", n);
    }
    return n.asBoolean();
  }

  /** A list of strings; a single string becomes a one-element list (peft allows both). */
  /**
   * {@return a field holding a string or a list of strings, or {@code dflt} when absent or null}
   *
   * @param field the field
   * @param dflt the default
   * @throws CheckpointException naming the file and the field when it holds something else
   */
  public List<String> strings(String field, List<String> dflt) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return dflt;
    }
    if (n.isTextual()) {
      return List.of(n.asText());
    }
    if (!n.isArray()) {
      throw bad(field, "a string or a list of strings", n);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw bad(field, "a list of strings", n);
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  CheckpointException bad(String field, String expected, JsonNode actual) {
    return new CheckpointException(file + ": field '" + field + "' must be " + expected + ", got " + actual);
  }

  /**
   * {@return an error naming the file and the field}
   *
   * @param field the field
   * @param why what is wrong, e.g. {@code "must be positive"}
   */
  public CheckpointException invalid(String field, String why) {
    return new CheckpointException(file + ": field '" + field + "' " + why);
  }
}
