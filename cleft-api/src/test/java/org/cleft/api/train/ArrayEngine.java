package org.cleft.api.train;

import java.util.Arrays;
import java.util.Collection;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A reference training engine in plain Java for testing the engine-neutral training core: the host updates every
 * host-side engine uses ({@link HostUpdates}), a loss that carries its own backward pass (there is no autograd),
 * called with the factor the loop asks for, and a count of open scopes.
 */
final class ArrayEngine extends HostUpdates implements TrainingEngine<HostTensor> {
  Random random = new Random(0);
  int scopesOpen;

  /** {@return a parameter over {@code values}} */
  static HostTensor param(String name, long[] shape, float... values) {
    return new HostTensor(name, shape, values);
  }

  /** Sets a parameter's gradient to {@code values} (what one backward pass from zero gives). */
  static void setGradient(HostTensor p, float... values) {
    if (p.gradient() != null) {
      Arrays.fill(p.gradient(), 0f);
    }
    p.accumulate(1, values);
  }

  @Override
  public Scope scope() {
    scopesOpen++;
    return () -> scopesOpen--;
  }

  @Override
  public void seed(long seed) {
    random = new Random(seed);
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
