package org.cleft.api.train;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * The training core's engine for graph engines whose runs give the loss and its gradients together (TensorFlow's
 * graph mode): a loss is a {@link HostTensor} whose backward pass adds the gradients to the parameters, and the
 * parameters and the optimiser live on the host. Per-step native values are closed by the run that made them, so the
 * scope has nothing to release; the engine's generator is its own, so {@link #seed} does nothing.
 */
public class HostTrainingEngine extends HostUpdates implements TrainingEngine<HostTensor> {
  /** The engine (stateless). */
  public HostTrainingEngine() {}

  @Override
  public Scope scope() {
    return () -> { };
  }

  /** {@inheritDoc} A graph engine's dropout draws from its own generator: a resumed run with it is not bit-exact. */
  @Override
  public void seed(long seed) {}

  @Override
  public double backward(Supplier<HostTensor> loss, double factor) {
    HostTensor l = loss.get();
    l.backward(factor);
    return l.values()[0];
  }

  @Override
  public void requireGradients(Collection<HostTensor> parameters, boolean on) {}

  @Override
  public Object runLock() {
    return this;
  }
}
