package org.cleft.data.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Token-to-id table read from {@code vocab.json} or a {@code tokenizer.json}; package-private helper. */
final class Vocabulary {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Long> ids;
  private final Path source;

  private Vocabulary(Map<String, Long> ids, Path source) {
    this.ids = ids;
    this.source = source;
  }

  static Vocabulary ofVocabJson(Path vocabJson) {
    JsonNode root = readJson(vocabJson);
    if (!root.isObject()) {
      throw new IllegalArgumentException(vocabJson + ": expected a JSON object of token -> id");
    }
    return new Vocabulary(toMap(root, vocabJson), vocabJson);
  }

  static Vocabulary ofTokenizerJson(Path tokenizerJson) {
    JsonNode root = readJson(tokenizerJson);
    JsonNode vocab = root.path("model").path("vocab");
    Map<String, Long> ids = vocab.isObject() ? toMap(vocab, tokenizerJson) : new LinkedHashMap<>();
    for (JsonNode added : root.path("added_tokens")) {
      ids.put(added.path("content").asText(), added.path("id").asLong());
    }
    return new Vocabulary(ids, tokenizerJson);
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JSON " + file, e);
    }
  }

  private static Map<String, Long> toMap(JsonNode object, Path file) {
    Map<String, Long> ids = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().canConvertToLong()) {
        throw new IllegalArgumentException(file + ": id of token '" + e.getKey() + "' is not an integer");
      }
      ids.put(e.getKey(), e.getValue().asLong());
    }
    return ids;
  }

  Optional<Long> id(String token) {
    return Optional.ofNullable(ids.get(token));
  }

  /** {@return the highest id, + 1: how many rows a model's embedding table needs for this vocabulary} */
  long idLimit() {
    return ids.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
  }

  Map<String, Long> asMap() {
    return ids;
  }

  Path source() {
    return source;
  }
}
