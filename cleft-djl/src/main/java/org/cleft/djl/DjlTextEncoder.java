package org.cleft.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.cleft.api.Embeddings;
import org.cleft.api.TextTokenizer;
import org.cleft.api.TokenBatch;
import org.cleft.api.spi.CheckedTextEncoder;
import org.cleft.model.peft.AdapterHook;

/** The text tower (with its peft adapter) and projection on DJL. Safe to call from several threads. */
public final class DjlTextEncoder extends CheckedTextEncoder {
  private final CleftNetwork network;
  private final AdapterHook<NDArray> adapter;
  private final NDManager manager;

  DjlTextEncoder(CleftNetwork network, AdapterHook<NDArray> adapter, TextTokenizer tokenizer, NDManager manager,
      int maxLength) {
    super(tokenizer, maxLength, network.text().vocabSize(), network.embeddingDim());
    this.network = network;
    this.adapter = adapter;
    this.manager = manager;
  }

  @Override
  protected Embeddings encodeChecked(TokenBatch tokens) {
    try (NDScope scope = new NDScope(); NDManager sub = manager.newSubManager()) {
      NDArray ids = sub.create(tokens.ids(), new Shape(tokens.shape()));
      NDArray mask = sub.create(tokens.mask(), new Shape(tokens.shape()));
      NDArray embeds = network.encodeTexts(ids, mask, adapter).embeds();
      return new Embeddings(embeds.toFloatArray(), tokens.batch(), embeddingDim());
    }
  }

  /** Closing an encoder is a no-op: its model owns the native memory and the tokenizer. */
  @Override
  public void close() {}
}
