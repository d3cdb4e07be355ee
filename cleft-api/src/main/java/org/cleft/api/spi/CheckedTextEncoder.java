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
   * Sets the encoder's limits, refusing a tokenizer that is not the tower's: one whose ids reach past the tower's
   * vocabulary (a pad token added just past it excepted), or whose padding id is outside it.
   *
   * @param tokenizer the model's tokenizer
   * @param maxLength the longest token sequence the model takes
   * @param vocabSize the text tower's vocabulary size (ids must be below it)
   * @param embeddingDim the width of the embeddings
   * @throws IllegalArgumentException naming the tokenizer file, both sizes and the fix
   */
  protected CheckedTextEncoder(TextTokenizer tokenizer, int maxLength, long vocabSize, int embeddingDim) {
    // one id past the table that is the padding token is a pad token added to the tokenizer, not another vocabulary
    boolean addedPad = tokenizer.idLimit() == vocabSize + 1 && tokenizer.padId() == vocabSize;
    if (tokenizer.idLimit() > vocabSize && !addedPad) {
      throw new IllegalArgumentException(tokenizer.source() + " has ids up to " + (tokenizer.idLimit() - 1)
          + " but the text tower's vocabulary has " + vocabSize + " (config.json vocab_size): the tokenizer is not "
          + "this model's; put the model's own tokenizer files beside its config.json");
    }
    if (tokenizer.padId() >= vocabSize) {
      throw new IllegalArgumentException("the padding id " + tokenizer.padId() + " of " + tokenizer.source()
          + " is outside the text tower's vocabulary of " + vocabSize + " ids (config.json vocab_size): set "
          + "tokenizer_config.json's pad_token to a token the model has (or remove it: texts then pad with eos)");
    }
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
