package org.cleft.api;

import java.util.Arrays;

/**
 * A batch of tokenised texts, right padded: token ids and an attention mask (1 for real tokens,
 * 0 for padding), both {@code batch * length} long values in row-major order.
 *
 * <p>Filled by the model's tokenizer ({@link TextEncoder#encodeTexts(java.util.List)} tokenises for you), by
 * {@code cleft-data}'s {@code TextTokenizers.fromDirectory(checkpoint.resolve("text"))} (the HuggingFace tokenizer
 * of the checkpoint's text tower) or by its {@code BatchLoader} with {@code optTokenizer} (the reports of a
 * training batch).
 *
 * @param ids token ids
 * @param mask attention mask, 1 or 0
 * @param batch number of texts
 * @param length padded sequence length
 */
public record TokenBatch(long[] ids, long[] mask, int batch, int length) {

  /**
   * Validates the arrays against the dimensions.
   *
   * @param ids token ids
   * @param mask attention mask, 1 or 0
   * @param batch number of texts
   * @param length padded sequence length
   */
  public TokenBatch {
    if (batch <= 0 || length <= 0) {
      throw new IllegalArgumentException("TokenBatch dimensions must be positive, got [" + batch + "," + length + "]");
    }
    long expected = (long) batch * length;
    if (ids == null || ids.length != expected) {
      throw new IllegalArgumentException("TokenBatch ids: expected " + expected + " values, got "
          + (ids == null ? "null" : ids.length));
    }
    if (mask == null || mask.length != expected) {
      throw new IllegalArgumentException("TokenBatch mask: expected " + expected + " values, got "
          + (mask == null ? "null" : mask.length));
    }
  }

  /**
   * {@return number of real (unmasked) tokens of text {@code row}}
   *
   * @param row the text's row
   */
  public int realLength(int row) {
    int n = 0;
    for (int j = 0; j < length; j++) {
      n += mask[row * length + j] != 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * Refuses a batch a text tower cannot take, with one message for every backend: longer than the tower's limit,
   * a text without a token ({@link #requireTokens()}), or an id outside the vocabulary.
   *
   * @param maxLength the tower's longest sequence
   * @param vocabSize the vocabulary's size
   * @throws IllegalArgumentException naming the length, the text or the id and its position
   */
  public void requireFits(int maxLength, long vocabSize) {
    if (length > maxLength) {
      throw new IllegalArgumentException("token batch of length " + length + " exceeds the text tower's limit of "
          + maxLength + " (n_positions minus any prefix); truncate when tokenising");
    }
    requireTokens();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new IllegalArgumentException("token id " + ids[i] + " at text " + i / length + ", position "
            + i % length + " is outside the vocabulary of " + vocabSize);
      }
    }
  }

  /**
   * Refuses a batch with a text that has no token: its embedding (the hidden state of the last real token) is
   * undefined, and an engine would pool a padding position without a word. Every backend calls this.
   *
   * @throws IllegalArgumentException naming the first such text
   */
  public void requireTokens() {
    for (int i = 0; i < batch; i++) {
      if (realLength(i) == 0) {
        throw new IllegalArgumentException("text " + i + " of the batch has no tokens (empty text?)");
      }
    }
  }

  /** {@return the shape as {@code [batch, length]}} */
  public long[] shape() {
    return new long[] {batch, length};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenBatch t && t.batch == batch && t.length == length
        && Arrays.equals(t.ids, ids) && Arrays.equals(t.mask, mask);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Arrays.hashCode(mask) + batch * 7 + length;
  }

  @Override
  public String toString() {
    return "TokenBatch[" + batch + "," + length + "]";
  }
}
