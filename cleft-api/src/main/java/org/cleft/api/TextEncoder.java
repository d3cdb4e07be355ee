package org.cleft.api;

import java.util.List;

/** The text tower of a CLEFT model plus its projection: texts to L2-normalised embeddings. */
public interface TextEncoder extends AutoCloseable {

  /**
   * Encodes tokenised texts (right padded).
   *
   * @return one L2-normalised embedding per text
   */
  Embeddings encode(TokenBatch tokens);

  /** Tokenises with {@link #tokenizer()} (truncating to {@link #maxLength()}) and encodes. */
  default Embeddings encodeTexts(List<String> texts) {
    return encode(tokenizer().encode(texts, maxLength(), false));
  }

  /** The tokenizer of this text tower. */
  TextTokenizer tokenizer();

  /** The longest token sequence the tower accepts (GPT-2: {@code n_positions}). */
  int maxLength();

  /** Width of the embeddings. */
  int embeddingDim();

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
