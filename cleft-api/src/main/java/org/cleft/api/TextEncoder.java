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
   * Tokenises with {@link #tokenizer()} (truncating to {@link #maxLength()}, with a warning naming each
   * text that was cut and its length) and encodes.
   *
   * @param texts the texts
   * @return one L2-normalised embedding per text
   */
  default Embeddings encodeTexts(List<String> texts) {
    int max = maxLength();
    TokenBatch batch = tokenizer().encode(texts, max, false);
    for (int i = 0; i < batch.batch(); i++) {
      // only a text that fills the limit can have been cut; tokenise just those again to say by how much
      if (batch.realLength(i) == max) {
        int n = tokenizer().ids(texts.get(i)).length + tokenizer().specialPrefix() + tokenizer().specialSuffix();
        if (n > max) {
          org.slf4j.LoggerFactory.getLogger(TextEncoder.class).warn(
              "text {} has {} tokens; truncated to the text tower's limit of {}", i, n, max);
        }
      }
    }
    return encode(batch);
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
