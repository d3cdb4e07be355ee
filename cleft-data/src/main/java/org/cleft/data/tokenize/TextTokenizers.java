package org.cleft.data.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the tokenizer of a HuggingFace model folder: {@code tokenizer.json} when present, else the
 * GPT-2 style {@code vocab.json} + {@code merges.txt} pair (byte-level BPE). The padding id comes
 * from {@code tokenizer_config.json} ({@code pad_token}, then {@code eos_token}), then
 * {@code config.json} ({@code pad_token_id}, then {@code eos_token_id}), then the GPT-2 default
 * {@code <|endoftext|>}.
 */
public final class TextTokenizers {
  static final String TOKENIZER_JSON = "tokenizer.json";
  static final String VOCAB_JSON = "vocab.json";
  static final String MERGES_TXT = "merges.txt";

  private TextTokenizers() {}

  /**
   * Loads the tokenizer in {@code directory}.
   *
   * @param directory a HuggingFace model or tokenizer folder
   * @return the tokenizer, which the caller closes
   * @throws UncheckedIOException when the folder holds neither {@code tokenizer.json} nor
   *     {@code vocab.json} + {@code merges.txt}, or a file cannot be read
   * @throws IllegalArgumentException when a file is malformed or no padding token can be found
   */
  public static HfTextTokenizer fromDirectory(Path directory) {
    Path tokenizerJson = directory.resolve(TOKENIZER_JSON);
    if (Files.isRegularFile(tokenizerJson)) {
      return fromTokenizerJson(tokenizerJson);
    }
    Path vocab = directory.resolve(VOCAB_JSON);
    Path merges = directory.resolve(MERGES_TXT);
    if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
      return fromVocabAndMerges(vocab, merges);
    }
    throw new UncheckedIOException(new IOException("no tokenizer in " + directory
        + ": expected " + TOKENIZER_JSON + " or " + VOCAB_JSON + " + " + MERGES_TXT));
  }

  /**
   * Loads a {@code tokenizer.json}; the padding id is resolved from the files beside it.
   *
   * @param tokenizerJson the {@code tokenizer.json} file
   * @return the tokenizer, which the caller closes
   */
  public static HfTextTokenizer fromTokenizerJson(Path tokenizerJson) {
    Vocabulary vocabulary = Vocabulary.ofTokenizerJson(tokenizerJson);
    long padId = SpecialTokens.read(parentOf(tokenizerJson)).padId(vocabulary);
    return HfTextTokenizer.load(tokenizerJson, padId).withIdLimit(vocabulary.idLimit());
  }

  /**
   * Builds a GPT-2 style byte-level BPE tokenizer from {@code vocab.json} and {@code merges.txt}, by
   * writing the {@code tokenizer.json} they imply to a temporary file and loading it. The result
   * gives the same ids as HuggingFace's {@code GPT2TokenizerFast} on the same files.
   *
   * @param vocabJson the {@code vocab.json} file (token to id)
   * @param mergesTxt the {@code merges.txt} file (one merge per line, {@code #version} header optional)
   * @return the tokenizer, which the caller closes
   */
  public static HfTextTokenizer fromVocabAndMerges(Path vocabJson, Path mergesTxt) {
    Vocabulary vocabulary = Vocabulary.ofVocabJson(vocabJson);
    SpecialTokens special = SpecialTokens.read(parentOf(vocabJson));
    long padId = special.padId(vocabulary);
    Path temp = null;
    try {
      temp = Files.createTempFile("cleft-tokenizer", ".json");
      ByteLevelBpeJson.write(vocabulary, mergesTxt, special, temp);
      return HfTextTokenizer.load(temp, padId).withIdLimit(vocabulary.idLimit());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build a tokenizer from " + vocabJson + " and " + mergesTxt, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private static Path parentOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  private static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      temp.toFile().deleteOnExit(); // best effort: the tokenizer is already loaded
    }
  }
}
