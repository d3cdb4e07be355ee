package org.cleft.api.train;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * What a training engine supplies to the {@link TrainingLoop}: its tensor updates, gradients through its autograd,
 * a scope for each step's temporaries and its random generator.
 *
 * @param <T> the engine's parameter handle
 */
public interface TrainingEngine<T> extends TensorUpdates<T> {

  /** A scope whose tensors are released when it closes. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** {@return a scope releasing the tensors created inside it (one per step, evaluation and checkpoint)} */
  Scope scope();

  /**
   * Seeds the engine's random generator (dropout), so that a resumed run draws what a straight one does.
   *
   * @param seed the seed of this step
   */
  void seed(long seed);

  /**
   * {@return the loss, after adding the gradient of {@code factor * loss} to every trainable parameter's gradient}
   *
   * @param loss computes the loss (recorded by the engine's autograd)
   * @param factor the factor of the backward pass (1 / accumulation)
   */
  double backward(Supplier<T> loss, double factor);

  /**
   * Turns gradients on or off for the parameters.
   *
   * @param parameters the trainable parameters
   * @param on whether they need gradients
   */
  void requireGradients(Collection<T> parameters, boolean on);

  /** {@return the object runs of this engine synchronise on (DJL: one gradient collector per process)} */
  Object runLock();
}
