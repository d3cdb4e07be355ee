package org.cleft.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.cleft.api.Embeddings;
import org.cleft.api.TextEncoder;
import org.cleft.api.TextTokenizer;
import org.cleft.api.TokenBatch;
import org.cleft.model.peft.AdapterHook;

/** The text tower (with its peft adapter) and projection on DJL. Safe to call from several threads. */
public final class DjlTextEncoder implements TextEncoder {
  private final CleftNetwork network;
  private final AdapterHook<NDArray> adapter;
  private final TextTokenizer tokenizer;
  private final NDManager manager;
  private final int maxLength;

  DjlTextEncoder(CleftNetwork network, AdapterHook<NDArray> adapter, TextTokenizer tokenizer, NDManager manager,
      int maxLength) {
    this.network = network;
    this.adapter = adapter;
    this.tokenizer = tokenizer;
    this.manager = manager;
    this.maxLength = maxLength;
  }

  @Override
  public Embeddings encode(TokenBatch tokens) {
    tokens.requireFits(maxLength, network.text().config().vocabSize());
    try (NDScope scope = new NDScope(); NDManager sub = manager.newSubManager()) {
      NDArray ids = sub.create(tokens.ids(), new Shape(tokens.shape()));
      NDArray mask = sub.create(tokens.mask(), new Shape(tokens.shape()));
      NDArray embeds = network.encodeTexts(ids, mask, adapter).embeds();
      return new Embeddings(embeds.toFloatArray(), tokens.batch(), embeddingDim());
    }
  }

  @Override
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  @Override
  public int embeddingDim() {
    return network.embeddingDim();
  }

  /** Closing an encoder is a no-op: its model owns the native memory and the tokenizer. */
  @Override
  public void close() {}
}
