package org.cleft.api;

import java.util.List;

/** The text tower of a CLEFT model plus its projection: texts to L2-normalised embeddings. */
public interface TextEncoder extends AutoCloseable {

  /**
   * Encodes tokenised texts (right padded).
   *
   * @param tokens the token ids and attention mask
   * @return one L2-normalised embedding per text
   */
  Embeddings encode(TokenBatch tokens);

  /**
   * Tokenises with {@link #tokenizer()} (truncating to {@link #maxLength()}) and encodes.
   *
   * @param texts the texts
   * @return one L2-normalised embedding per text
   */
  default Embeddings encodeTexts(List<String> texts) {
    return encode(tokenizer().encode(texts, maxLength(), false));
  }

  /** {@return the tokenizer of this text tower} */
  TextTokenizer tokenizer();

  /** {@return the longest token sequence the tower accepts (GPT-2: {@code n_positions})} */
  int maxLength();

  /** {@return width of the embeddings} */
  int embeddingDim();

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
