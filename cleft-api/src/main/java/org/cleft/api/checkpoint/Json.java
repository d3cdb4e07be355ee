package org.cleft.api.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Typed access to the fields of a JSON config file with defaults, naming the file and field on error. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private final Path file;
  private final JsonNode root;

  private Json(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  static Json read(Path file) throws CheckpointException {
    try {
      JsonNode node = MAPPER.readTree(Files.readString(file));
      if (node == null || !node.isObject()) {
        throw new CheckpointException(file + ": expected a JSON object");
      }
      return new Json(file, node);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": file not found", e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read JSON: " + e.getMessage(), e);
    }
  }

  Path file() {
    return file;
  }

  JsonNode node() {
    return root;
  }

  private JsonNode present(String field) {
    JsonNode n = root.get(field);
    return n == null || n.isNull() ? null : n;
  }

  String string(String field, String dflt) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw bad(field, "a string", n);
    }
    return n.asText();
  }

  int integer(String field, int dflt) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isIntegralNumber()) {
      throw bad(field, "an integer", n);
    }
    return n.asInt();
  }

  Integer optionalInteger(String field) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber()) {
      throw bad(field, "an integer or null", n);
    }
    return n.asInt();
  }

  double number(String field, double dflt) throws CheckpointException {
    JsonNode n = present(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isNumber()) {
      throw bad(field, "a number", n);
    }
    return n.asDouble();
  }

  boolean bool(String field, boolean dflt) throws CheckpointException {
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
  List<String> strings(String field, List<String> dflt) throws CheckpointException {
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

  CheckpointException invalid(String field, String why) {
    return new CheckpointException(file + ": field '" + field + "' " + why);
  }
}
