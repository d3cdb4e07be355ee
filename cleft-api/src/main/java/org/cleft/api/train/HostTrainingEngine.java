package org.cleft.api.train;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * The training core's engine for graph engines whose runs give the loss and its gradients together (TensorFlow's
 * graph mode): a loss is a {@link HostTensor} whose backward pass adds the gradients to the parameters, and the
 * parameters and the optimiser live on the host. Per-step native values are closed by the run that made them, so the
 * scope has nothing to release. Dropout in such graphs draws from a stateless generator fed {@link #randomKey()}: the
 * step's seed and the pass within the step, so that a resumed run draws what a straight one does.
 */
public class HostTrainingEngine extends HostUpdates implements TrainingEngine<HostTensor> {
  private long seed;
  private long passes;

  /** The engine. */
  public HostTrainingEngine() {}

  @Override
  public Scope scope() {
    return () -> { };
  }

  @Override
  public synchronized void seed(long seed) {
    this.seed = seed;
    this.passes = 0;
  }

  /**
   * {@return the key of the next forward pass's random draws, {@code [step seed, pass << 20]}: a graph adds its
   * dropout site's number to the second word, so that sites and the passes of an accumulated step draw apart}
   */
  public synchronized long[] randomKey() {
    return new long[] {seed, passes++ << 20};
  }

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
