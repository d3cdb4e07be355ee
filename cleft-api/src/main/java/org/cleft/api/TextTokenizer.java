package org.cleft.api;

import java.util.List;

/**
 * Turns texts into right-padded token batches for a text tower. Implementations live in
 * {@code cleft-data} (HuggingFace {@code tokenizer.json}, or GPT-2 {@code vocab.json} + {@code merges.txt}).
 */
public interface TextTokenizer extends AutoCloseable {

  /**
   * Encodes texts with the special tokens the tokenizer adds (LLaMA's BOS in front; GPT-2 adds none), truncating
   * each text so that its row, special tokens included, holds at most {@code maxLength} tokens, and right padding
   * all of them to the longest (or to {@code maxLength} when {@code padToMax}).
   *
   * @param texts the texts
   * @param maxLength the most tokens kept per text
   * @param padToMax pad every row to {@code maxLength} rather than to the longest text
   * @return the token ids and attention mask
   */
  TokenBatch encode(List<String> texts, int maxLength, boolean padToMax);

  /**
   * Encodes texts as they read when they continue a sentence, with the special tokens and padding of
   * {@link #encode}: prompt tuning's class names, which follow the learned context. A byte-level BPE (GPT-2) reads
   * {@code " name"} the same alone or after a word; a SentencePiece tokenizer (LLaMA) marks the start of a text as a
   * word start, so alone it would read an extra word boundary. The default encodes the texts as they are.
   *
   * @param texts the texts, each as it follows the previous word (with its leading space, if any)
   * @param maxLength the most tokens kept per row, special tokens included
   * @return the token ids and attention mask, right padded to the longest
   */
  default TokenBatch encodeContinuations(List<String> texts, int maxLength) {
    return encode(texts, maxLength, false);
  }

  /**
   * {@return token ids of one text, without special tokens, padding or truncation}
   *
   * @param text the text
   */
  long[] ids(String text);

  /** {@return the id used for padding (GPT-2: the eos id)} */
  long padId();

  /** {@return the highest id this tokenizer can give, + 1, or -1 when unknown} */
  default long idLimit() {
    return -1;
  }

  /** {@return where the tokenizer comes from (its file), for messages} */
  default String source() {
    return getClass().getSimpleName();
  }

  /**
   * {@return how many special tokens {@link #encode} puts in front of each text (LLaMA: 1, its BOS; GPT-2: 0): a
   * prompt learner puts its context after them}
   */
  default int specialPrefix() {
    return 0;
  }

  /** {@return how many special tokens {@link #encode} puts after each text (an EOS, where the tokenizer adds one)} */
  default int specialSuffix() {
    return 0;
  }

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
