package org.cleft.model.llama;

import java.util.List;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.LlamaConfig;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.model.TextFamily;
import org.cleft.model.TextTower;
import org.cleft.model.Weights;
import org.cleft.model.peft.AdaptableTower;

/** The LLaMA family ({@code model_type} {@code llama} and {@code mistral}: Llama 2 / 3, Meditron, BioMistral, ...). */
public final class LlamaFamily implements TextFamily {
  /** The family (also found by {@link java.util.ServiceLoader}). */
  public LlamaFamily() {}

  @Override
  public List<String> modelTypes() {
    return List.of("llama", "mistral");
  }

  @Override
  public String wrapperPrefix() {
    return LlamaTower.WRAPPER;
  }

  @Override
  public String tokenEmbeddingsName() {
    return "embed_tokens.weight";
  }

  @Override
  public boolean isWeight(String tensor) {
    return LlamaTower.isWeight(tensor);
  }

  @Override
  public AdaptableTower adaptable(TextConfig config) {
    return LlamaTower.adaptable(llama(config));
  }

  @Override
  public <T> TextTower<T> tower(TextConfig config, Weights<T> weights) throws CheckpointException {
    return new LlamaTower<>(llama(config), weights);
  }

  private static LlamaConfig llama(TextConfig config) {
    if (!(config instanceof LlamaConfig l)) {
      throw new IllegalArgumentException("the LLaMA family takes a LlamaConfig, not " + config.getClass().getName());
    }
    return l;
  }
}
