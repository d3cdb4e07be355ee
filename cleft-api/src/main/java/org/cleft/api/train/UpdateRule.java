package org.cleft.api.train;

import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.api.safetensors.Tensor;

/**
 * An optimiser: how parameters change from their gradients, with its state (saved in
 * {@code trainer/optimizer.safetensors} by {@link TrainerState}, the same file on every engine).
 *
 * @param <T> the engine's parameter handle
 */
public interface UpdateRule<T> {

  /**
   * {@return the configuration's optimiser over an engine's updates}
   *
   * @param <T> the engine's parameter handle
   * @param config the run's configuration ({@code optimizer}, {@code weightDecay}, {@code momentum})
   * @param updates the engine's tensor updates
   */
  static <T> UpdateRule<T> of(TrainingConfig config, TensorUpdates<T> updates) {
    return switch (config.optimizer()) {
      case ADAMW -> new AdamW<>(updates, 0.9, 0.999, 1e-8, config.weightDecay());
      case SGD -> new Sgd<>(updates, config.momentum(), config.weightDecay());
    };
  }

  /**
   * Updates every parameter that has a gradient.
   *
   * @param parameters the trainable parameters by name
   * @param lr the learning rate of this step
   */
  void step(Map<String, T> parameters, double lr);

  /** {@return the number of steps taken (restored on resume)} */
  long stepCount();

  /** {@return the state by {@code kind.parameter} ({@code exp_avg.text_projection.weight}), as saved} */
  Map<String, Tensor> state();

  /**
   * Continues from saved state.
   *
   * @param steps the steps already taken
   * @param state the saved state ({@link #state()})
   * @param parameters the trainable parameters by name
   * @throws IllegalArgumentException when a saved buffer belongs to no parameter or does not fit it
   */
  void restore(long steps, Map<String, Tensor> state, Map<String, T> parameters);

  /** Releases the state's tensors. */
  void close();

  /**
   * {@return whether a parameter gets weight decay: not the 1-D ones (biases, norms, {@code logit_scale}), as the
   * paper's setup and CLIP training do}
   *
   * @param <T> the engine's parameter handle
   * @param updates the engine's updates
   * @param parameter the parameter
   */
  static <T> boolean decays(TensorUpdates<T> updates, T parameter) {
    return updates.rank(parameter) > 1;
  }
}
