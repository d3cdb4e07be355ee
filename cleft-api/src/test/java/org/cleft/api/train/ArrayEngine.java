package org.cleft.api.train;

import java.util.Arrays;

/**
 * A reference training engine in plain Java for testing the engine-neutral training core: the production host-side
 * engine ({@link HostTrainingEngine}: a loss carries its own backward pass, called with the factor the loop asks for)
 * with a count of open scopes.
 */
final class ArrayEngine extends HostTrainingEngine {
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

  /** {@inheritDoc} Counted, so that a test sees every scope closed. */
  @Override
  public Scope scope() {
    scopesOpen++;
    return () -> scopesOpen--;
  }
}
