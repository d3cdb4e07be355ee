package org.cleft.model.peft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.PrefixTuningConfig;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.model.Ops;
import org.cleft.model.Weights;

/**
 * peft prefix tuning: {@code prompt_embeddings} [virtual tokens, 2 x layers x key/value width] are the past keys and
 * values of every layer (layer i: key in slot 2i, value in 2i + 1), shared by every text of a batch. The prefix lives
 * only in the keys and values; the positions of the real tokens start after it. It cannot be merged, so deployment
 * keeps it as a tensor of the model.
 */
public final class PrefixAdapter extends PeftAdapter {
  /** The tensor's saved name. */
  static final String TENSOR = "prompt_embeddings";
  private final PrefixTuningConfig config;
  private final int tokens;
  private final int layers;
  private final int heads;
  private final int headDim;

  private PrefixAdapter(Path folder, Path file, PrefixTuningConfig config, AdaptableTower tower) {
    super(folder, file);
    this.config = config;
    this.tokens = config.numVirtualTokens();
    this.layers = tower.layers();
    this.heads = tower.keyValueHeads();
    this.headDim = tower.headDim();
  }

  static PrefixAdapter read(Path folder, PrefixTuningConfig c, AdaptableTower tower, TensorSource t)
      throws CheckpointException, SafetensorsException {
    Path config = folder.resolve("adapter_config.json");
    if (c.numLayers() != 0 && c.numLayers() != tower.layers()) {
      throw new CheckpointException(config + ": num_layers " + c.numLayers() + " does not match the text tower's "
          + tower.layers() + " layers");
    }
    if (c.numVirtualTokens() >= tower.positions()) {
      throw new CheckpointException(config + ": num_virtual_tokens " + c.numVirtualTokens()
          + " leaves no room for text within the text tower's " + tower.positions() + " positions");
    }
    checkShape(t.path(), t, TENSOR, c.numVirtualTokens(),
        2L * tower.layers() * tower.keyValueHeads() * tower.headDim());
    return new PrefixAdapter(folder, t.path(), c, tower);
  }

  @Override
  public String peftType() {
    return "PREFIX_TUNING";
  }

  @Override
  public Deployment deployment() {
    return Deployment.IN_GRAPH;
  }

  /** {@return the adapter's config} */
  public PrefixTuningConfig config() {
    return config;
  }

  @Override
  public int prefixLength() {
    return tokens;
  }

  @Override
  public <T> AdapterHook<T> afterMerge(Weights<T> adapterWeights) throws CheckpointException {
    return unmerged(adapterWeights);
  }

  @Override
  public <T> AdapterHook<T> unmerged(Weights<T> w) throws CheckpointException {
    T embeddings = w.tensor(TENSOR, tokens, 2L * layers * heads * headDim);
    return new AdapterHook<>() {
      @Override
      public int prefixLength() {
        return tokens;
      }

      @Override
      public List<T> prefix(Ops<T> ops, T like) {
        Ops<T> p = ops.scope("prefix");
        // [n, 2L * H * D] -> [n, 2L, H, D] -> [2L, H, n, D]; slot s is [1, H, n, D]
        T slots = p.transpose(p.reshape(embeddings, tokens, 2L * layers, heads, headDim), 1, 2, 0, 3);
        List<T> out = new ArrayList<>(2 * layers);
        for (int s = 0; s < 2 * layers; s++) {
          out.add(p.expandBatch(p.slice(slots, 0, s, s + 1), like));
        }
        return out;
      }

      @Override
      public Map<String, T> parameters() {
        return Map.of("prompt_encoder.default.embedding.weight", embeddings);
      }
    };
  }
}
