package org.cleft.model;

import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.VisionConfig;

/**
 * A family of image towers, found by {@code model_type} ({@link TowerFamilies#vision}). DINOv2 (with and without
 * registers) is built in; a new family registers one in {@code META-INF/services/org.cleft.model.VisionFamily}.
 */
public interface VisionFamily {

  /** {@return the {@code model_type} values of the family} */
  List<String> modelTypes();

  /** {@return the prefix an image-classification checkpoint puts before the tower's tensor names} */
  String wrapperPrefix();

  /**
   * {@return whether a checkpoint tensor is one of the tower's (not a classifier head)}
   *
   * @param tensor the tensor's name, wrapper prefix removed
   */
  boolean isWeight(String tensor);

  /**
   * {@return whether a parameter is off CLEFT's path and gets no gradient (so training leaves it alone)}
   *
   * @param parameter the parameter's name
   */
  boolean isUnused(String parameter);

  /**
   * {@return the transformer block a parameter belongs to, or -1 for one outside the blocks (embeddings)}
   *
   * @param parameter the parameter's name
   */
  int blockOf(String parameter);

  /**
   * {@return how an export at {@code imageSize} pixels describes the tower ({@code export.json}'s image encoder)}
   *
   * @param config the config
   * @param imageSize the input size
   */
  Map<String, Object> describe(VisionConfig config, int imageSize);

  /**
   * {@return the tower, every tensor asked for and checked}
   *
   * @param <T> the engine's tensor handle
   * @param config the config
   * @param weights the tower's tensors (wrapper prefix removed)
   * @throws CheckpointException naming the file and tensor, or the config field, that does not fit
   */
  <T> VisionTower<T> tower(VisionConfig config, Weights<T> weights) throws CheckpointException;
}
