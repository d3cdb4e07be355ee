package org.cleft.model;

import java.util.List;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.ConfigJson;
import org.cleft.api.checkpoint.ModelConfig;
import org.cleft.api.checkpoint.ModelConfigReader;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.model.peft.AdaptableTower;

/**
 * A family registered only through service files (this module's test resources), as a new family outside cleft's
 * own would be: its config reader for {@code ModelConfig.read} and its tower family for {@link TowerFamilies}.
 */
public final class ToyFamily implements TextFamily {
  /** The toy's config. */
  public record ToyConfig(int vocabSize, int maxPositions, int hiddenSize) implements TextConfig {
    @Override
    public String modelType() {
      return "toy_lm";
    }

    @Override
    public int effectivePadId() {
      return 0;
    }
  }

  /** Reads {@code model_type} {@code toy_lm}. */
  public static final class Reader implements ModelConfigReader {
    @Override
    public List<String> modelTypes() {
      return List.of("toy_lm");
    }

    @Override
    public Role role() {
      return Role.TEXT;
    }

    @Override
    public ModelConfig read(ConfigJson json, String modelType) throws CheckpointException {
      return new ToyConfig(json.integer("vocab_size", 10), json.integer("max_positions", 8),
          json.integer("hidden_size", 4));
    }
  }

  @Override
  public List<String> modelTypes() {
    return List.of("toy_lm");
  }

  @Override
  public String wrapperPrefix() {
    return "model.";
  }

  @Override
  public String tokenEmbeddingsName() {
    return "embed.weight";
  }

  @Override
  public boolean isWeight(String tensor) {
    return true;
  }

  @Override
  public AdaptableTower adaptable(TextConfig config) {
    throw new UnsupportedOperationException("the toy has no modules");
  }

  @Override
  public <T> TextTower<T> tower(TextConfig config, Weights<T> weights) {
    throw new UnsupportedOperationException("the toy has no tower");
  }
}
