package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.cleft.api.safetensors.Tensor;

/**
 * An optimiser over named parameters, stepping in place with native ops (the parameters stay on
 * their device). Its state (step count and per-parameter buffers) can be saved and restored
 * bit-exactly, so a resumed run continues as if never stopped.
 */
public interface Optimizer {

  /**
   * Takes one step on every parameter that has a gradient; must be called outside a gradient collector.
   *
   * @param params trainable parameters by name
   * @param lr the learning rate of this step
   */
  void step(Map<String, NDArray> params, double lr);

  /** {@return steps taken so far} */
  long stepCount();

  /** {@return the state as named float32 tensors ({@code <buffer>.<parameter>}), for a safetensors file} */
  Map<String, Tensor> state();

  /**
   * Restores a saved state.
   *
   * @param steps the saved step count
   * @param state the tensors {@link #state()} returned
   * @param params the parameters the buffers belong to (their manager and device receive the buffers)
   * @throws IllegalArgumentException when a buffer is missing or has the wrong size, naming it
   */
  void restore(long steps, Map<String, Tensor> state, Map<String, NDArray> params);

  /**
   * {@return whether weight decay applies to a parameter: only to those with more than one dimension, as the
   * reference groups them}
   *
   * @param p the parameter
   */
  static boolean decays(NDArray p) {
    return p.getShape().dimension() > 1;
  }
}
