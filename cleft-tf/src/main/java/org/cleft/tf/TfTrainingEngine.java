package org.cleft.tf;

import java.util.Collection;
import java.util.function.Supplier;
import org.cleft.api.train.HostTensor;
import org.cleft.api.train.HostUpdates;
import org.cleft.api.train.TrainingEngine;

/**
 * The training core's engine on TensorFlow: the graph computes the loss and its gradients in one run (a loss is a
 * {@link HostTensor} whose backward pass adds them), the parameters and the optimiser live on the host. Per-step
 * native values are closed by the run that made them, so the scope has nothing to release.
 */
final class TfTrainingEngine extends HostUpdates implements TrainingEngine<HostTensor> {
  @Override
  public Scope scope() {
    return () -> { };
  }

  /** {@inheritDoc} TensorFlow's dropout draws from its own generator: a resumed run with dropout is not bit-exact. */
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
