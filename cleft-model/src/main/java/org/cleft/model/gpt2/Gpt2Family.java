package org.cleft.model.gpt2;

import java.util.List;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Gpt2Config;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.model.TextFamily;
import org.cleft.model.TextTower;
import org.cleft.model.Weights;
import org.cleft.model.peft.AdaptableTower;

/** The GPT-2 family ({@code model_type} {@code gpt2}: GPT-2, BioMedLM, ...). */
public final class Gpt2Family implements TextFamily {
  /** The family (also found by {@link java.util.ServiceLoader}). */
  public Gpt2Family() {}

  @Override
  public List<String> modelTypes() {
    return List.of("gpt2");
  }

  @Override
  public String wrapperPrefix() {
    return Gpt2Tower.WRAPPER;
  }

  @Override
  public String tokenEmbeddingsName() {
    return "wte.weight";
  }

  @Override
  public boolean isWeight(String tensor) {
    return Gpt2Tower.isWeight(tensor);
  }

  @Override
  public AdaptableTower adaptable(TextConfig config) {
    return Gpt2Tower.adaptable(gpt2(config));
  }

  @Override
  public <T> TextTower<T> tower(TextConfig config, Weights<T> weights) throws CheckpointException {
    return new Gpt2Tower<>(gpt2(config), weights);
  }

  private static Gpt2Config gpt2(TextConfig config) {
    if (!(config instanceof Gpt2Config g)) {
      throw new IllegalArgumentException("the GPT-2 family takes a Gpt2Config, not " + config.getClass().getName());
    }
    return g;
  }
}
