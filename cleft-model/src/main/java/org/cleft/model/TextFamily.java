package org.cleft.model;

import java.util.List;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.model.peft.AdaptableTower;

/**
 * A family of text towers, found by {@code model_type} ({@link TowerFamilies#text}): how its checkpoints name their
 * tensors and how to build its tower on any engine. GPT-2 is built in; a new family registers one in
 * {@code META-INF/services/org.cleft.model.TextFamily}.
 */
public interface TextFamily {

  /** {@return the {@code model_type} values of the family} */
  List<String> modelTypes();

  /** {@return the prefix a causal-LM checkpoint puts before the tower's tensor names ({@code transformer.})} */
  String wrapperPrefix();

  /** {@return the name of the token embedding table [vocab, width] among the tower's tensors ({@code wte.weight})} */
  String tokenEmbeddingsName();

  /**
   * {@return whether a checkpoint tensor is one of the tower's (not an LM head or a buffer)}
   *
   * @param tensor the tensor's name, wrapper prefix removed
   */
  boolean isWeight(String tensor);

  /**
   * {@return what peft needs to know of a tower of this config before its weights are loaded}
   *
   * @param config the config
   */
  AdaptableTower adaptable(TextConfig config);

  /**
   * {@return the tower, every tensor asked for and checked}
   *
   * @param <T> the engine's tensor handle
   * @param config the config
   * @param weights the tower's tensors (wrapper prefix removed)
   * @throws CheckpointException naming the file and tensor, or the config field, that does not fit
   */
  <T> TextTower<T> tower(TextConfig config, Weights<T> weights) throws CheckpointException;
}
