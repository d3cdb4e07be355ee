package org.cleft.data.tokenize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the {@code tokenizer.json} that a GPT-2 style {@code vocab.json} + {@code merges.txt}
 * imply: a BPE model with a byte-level pre-tokenizer, post-processor and decoder, as HuggingFace's
 * {@code GPT2TokenizerFast} builds it; package-private helper.
 */
final class ByteLevelBpeJson {
  private ByteLevelBpeJson() {}

  static void write(Vocabulary vocabulary, Path mergesTxt, SpecialTokens special, Path target) throws IOException {
    ObjectNode root = Vocabulary.JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String token : special.specialTokens(vocabulary)) {
      added.addObject().put("id", vocabulary.id(token).orElseThrow()).put("content", token)
          .put("single_word", false).put("lstrip", false).put("rstrip", false)
          .put("normalized", true).put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(special.addPrefixSpace(), true));
    root.set("post_processor", byteLevel(true, false));
    root.set("decoder", byteLevel(true, true));
    root.set("model", model(vocabulary, mergesTxt));
    Vocabulary.JSON.writeValue(target.toFile(), root);
  }

  private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
    ObjectNode node = Vocabulary.JSON.createObjectNode();
    node.put("type", "ByteLevel").put("add_prefix_space", addPrefixSpace)
        .put("trim_offsets", trimOffsets).put("use_regex", true);
    return node;
  }

  private static ObjectNode model(Vocabulary vocabulary, Path mergesTxt) throws IOException {
    ObjectNode model = Vocabulary.JSON.createObjectNode();
    model.put("type", "BPE").putNull("dropout").putNull("unk_token").putNull("continuing_subword_prefix")
        .putNull("end_of_word_suffix").put("fuse_unk", false).put("byte_fallback", false)
        .put("ignore_merges", false);
    ObjectNode vocab = model.putObject("vocab");
    for (Map.Entry<String, Long> e : vocabulary.asMap().entrySet()) {
      vocab.put(e.getKey(), e.getValue());
    }
    ArrayNode merges = model.putArray("merges");
    try (BufferedReader reader = Files.newBufferedReader(mergesTxt, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.startsWith("#version") || line.isBlank()) {
          continue;
        }
        String[] parts = line.split(" ");
        if (parts.length != 2) {
          throw new IllegalArgumentException(mergesTxt + " line " + lineNumber
              + ": expected two space-separated tokens, got '" + line + "'");
        }
        merges.addArray().add(parts[0]).add(parts[1]);
      }
    }
    return model;
  }
}
