package org.cleft.api.spi;

import org.cleft.api.Embeddings;
import org.cleft.api.TextEncoder;
import org.cleft.api.TextTokenizer;
import org.cleft.api.TokenBatch;

/**
 * A backend's text encoder with the engine-neutral part written once: its tokenizer, its limits, and the check every
 * token batch passes before the engine sees it ({@link TokenBatch#requireFits}). A backend implements
 * {@link #encodeChecked} and {@link #close()}.
 */
public abstract class CheckedTextEncoder implements TextEncoder {
  private final TextTokenizer tokenizer;
  private final int maxLength;
  private final long vocabSize;
  private final int embeddingDim;

  /**
   * Sets the encoder's limits.
   *
   * @param tokenizer the model's tokenizer
   * @param maxLength the longest token sequence the model takes
   * @param vocabSize the text tower's vocabulary size (ids must be below it)
   * @param embeddingDim the width of the embeddings
   */
  protected CheckedTextEncoder(TextTokenizer tokenizer, int maxLength, long vocabSize, int embeddingDim) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.vocabSize = vocabSize;
    this.embeddingDim = embeddingDim;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the batch is longer than {@link #maxLength()}, has an empty text or
   *     holds an id outside the vocabulary
   */
  @Override
  public final Embeddings encode(TokenBatch tokens) {
    tokens.requireFits(maxLength, vocabSize);
    return encodeChecked(tokens);
  }

  /**
   * {@return the embeddings of a batch that {@link TokenBatch#requireFits} accepted}
   *
   * @param tokens the batch
   */
  protected abstract Embeddings encodeChecked(TokenBatch tokens);

  @Override
  public final TextTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public final int maxLength() {
    return maxLength;
  }

  @Override
  public final int embeddingDim() {
    return embeddingDim;
  }
}
