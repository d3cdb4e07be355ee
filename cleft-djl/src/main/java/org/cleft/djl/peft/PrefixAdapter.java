package org.cleft.djl.peft;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.cleft.api.checkpoint.PrefixTuningConfig;

/**
 * peft prefix tuning: {@code prompt_embeddings} [virtual tokens, 2 x layers x width] are the past
 * keys and values of every layer (layer i: key at slot 2i, value at 2i+1), shared by every text of
 * a batch. The prefix lives only in the keys and values; positions of the real tokens start after it.
 */
public final class PrefixAdapter implements TextAdapter {
  private final PrefixTuningConfig config;
  private final NDArray embeddings;
  private final NDArray slots;

  PrefixAdapter(PrefixTuningConfig config, NDArray embeddings, int layers, int heads, int headDim) {
    this.config = config;
    this.embeddings = embeddings;
    int n = config.numVirtualTokens();
    // [n, 2L*E] -> [n, 2L, H, D] -> [2L, H, n, D]
    this.slots = embeddings.reshape(n, 2L * layers, heads, headDim).transpose(1, 2, 0, 3);
  }

  @Override
  public String peftType() {
    return "PREFIX_TUNING";
  }

  /** {@return the adapter config} */
  public PrefixTuningConfig config() {
    return config;
  }

  @Override
  public int prefixLength() {
    return config.numVirtualTokens();
  }

  @Override
  public NDArray[] prefix(int layer, int batch) {
    NDArray k = slots.get(2 * layer).expandDims(0);
    NDArray v = slots.get(2 * layer + 1).expandDims(0);
    long[] s = k.getShape().getShape();
    ai.djl.ndarray.types.Shape target = new ai.djl.ndarray.types.Shape(batch, s[1], s[2], s[3]);
    return new NDArray[] {k.broadcast(target), v.broadcast(target)};
  }

  @Override
  public Map<String, NDArray> parameters() {
    return Map.of("prompt_encoder.default.embedding.weight", embeddings);
  }
}
