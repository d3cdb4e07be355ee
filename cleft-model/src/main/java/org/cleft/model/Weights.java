package org.cleft.model;

import org.cleft.api.checkpoint.CheckpointException;

/**
 * A checkpoint's tensors as an engine loads them, by their HuggingFace / peft names. Shapes are checked where the
 * model asks for a tensor, and a missing or misshapen one is a {@link CheckpointException} naming the file, the
 * tensor and both shapes.
 *
 * @param <T> the engine's tensor handle
 */
public interface Weights<T> {

  /** {@return where the tensors come from (a file), for messages} */
  String origin();

  /**
   * {@return whether the tensor exists}
   *
   * @param name its name
   */
  boolean contains(String name);

  /**
   * {@return the shape of a tensor}
   *
   * @param name its name
   * @throws CheckpointException naming the file and the tensor when it is missing
   */
  long[] shape(String name) throws CheckpointException;

  /**
   * {@return the {@code torch.nn.Linear} named {@code prefix}: {@code prefix.weight} [out, in] and, when present,
   * {@code prefix.bias} [out], in the engine's layout}
   *
   * @param prefix the module's name, e.g. {@code image_projection}
   * @param out the output width
   * @param in the input width
   * @throws CheckpointException naming the file, the tensor and both shapes when one is missing or misshapen
   */
  Linear<T> linear(String prefix, long out, long in) throws CheckpointException;
}
