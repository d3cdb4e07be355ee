package org.cleft.data.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The special-token settings of a model folder ({@code tokenizer_config.json} and
 * {@code config.json}); package-private helper.
 */
final class SpecialTokens {
  static final String GPT2_EOS = "<|endoftext|>";

  private final Path directory;
  private final JsonNode tokenizerConfig;
  private final JsonNode modelConfig;

  private SpecialTokens(Path directory, JsonNode tokenizerConfig, JsonNode modelConfig) {
    this.directory = directory;
    this.tokenizerConfig = tokenizerConfig;
    this.modelConfig = modelConfig;
  }

  static SpecialTokens read(Path directory) {
    return new SpecialTokens(directory, readIfPresent(directory.resolve("tokenizer_config.json")),
        readIfPresent(directory.resolve("config.json")));
  }

  private static JsonNode readIfPresent(Path file) {
    return Files.isRegularFile(file) ? Vocabulary.readJson(file) : Vocabulary.JSON.createObjectNode();
  }

  /** The padding id: pad token, then eos token, then config ids, then GPT-2's eos. */
  long padId(Vocabulary vocabulary) {
    for (String field : List.of("pad_token", "eos_token")) {
      Optional<String> token = tokenString(field);
      if (token.isPresent()) {
        return vocabulary.id(token.get()).orElseThrow(() -> new IllegalArgumentException(
            directory.resolve("tokenizer_config.json") + ": " + field + " '" + token.get()
                + "' is not in the vocabulary of " + vocabulary.source()));
      }
    }
    for (String field : List.of("pad_token_id", "eos_token_id")) {
      JsonNode id = modelConfig.path(field);
      if (id.isArray() && id.size() > 0) {
        id = id.get(0);
      }
      if (id.canConvertToLong()) {
        return id.asLong();
      }
    }
    return vocabulary.id(GPT2_EOS).orElseThrow(() -> new IllegalArgumentException("no padding token for "
        + vocabulary.source() + ": tokenizer_config.json names no pad_token/eos_token, config.json no "
        + "pad_token_id/eos_token_id, and the vocabulary has no " + GPT2_EOS));
  }

  /** Special tokens to register as added tokens when building a tokenizer.json. */
  List<String> specialTokens(Vocabulary vocabulary) {
    List<String> tokens = new ArrayList<>();
    for (String field : List.of("bos_token", "eos_token", "unk_token", "pad_token")) {
      tokenString(field).filter(t -> vocabulary.id(t).isPresent() && !tokens.contains(t)).ifPresent(tokens::add);
    }
    if (tokens.isEmpty() && vocabulary.id(GPT2_EOS).isPresent()) {
      tokens.add(GPT2_EOS);
    }
    return tokens;
  }

  /** {@code add_prefix_space} of the tokenizer config, false when absent. */
  boolean addPrefixSpace() {
    return tokenizerConfig.path("add_prefix_space").asBoolean(false);
  }

  private Optional<String> tokenString(String field) {
    JsonNode node = tokenizerConfig.path(field);
    if (node.isTextual()) {
      return Optional.of(node.asText());
    }
    if (node.isObject() && node.path("content").isTextual()) {
      return Optional.of(node.path("content").asText());
    }
    return Optional.empty();
  }
}
