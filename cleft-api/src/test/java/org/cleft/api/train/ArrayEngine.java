package org.cleft.api.train;

import java.util.Arrays;
import java.util.Collection;
import java.util.Random;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;

/**
 * A reference training engine in plain Java, for testing the engine-neutral training core: a parameter is float32
 * values with a gradient; a loss carries its own backward pass (there is no autograd), called with the factor the
 * loop asks for.
 */
final class ArrayEngine implements TrainingEngine<ArrayEngine.P> {
  /** A tensor: values, shape, the gradient (or null), and for a loss its backward pass. */
  static final class P {
    final float[] v;
    final long[] shape;
    float[] g;
    DoubleConsumer backward;

    P(long[] shape, float... v) {
      this.shape = shape;
      this.v = v;
    }

    static P loss(double value, DoubleConsumer backward) {
      P p = new P(new long[] {1}, (float) value);
      p.backward = backward;
      return p;
    }

    /** Adds {@code factor * d} to the gradient (what a backward pass does). */
    void accumulate(double factor, double... d) {
      if (g == null) {
        g = new float[v.length];
      }
      for (int i = 0; i < g.length; i++) {
        g[i] += (float) (factor * d[i]);
      }
    }
  }

  Random random = new Random(0);
  int scopesOpen;

  @Override
  public P gradient(P parameter) {
    return parameter.g == null ? null : new P(parameter.shape, parameter.g);
  }

  @Override
  public P zerosLike(P like) {
    return new P(like.shape, new float[like.v.length]);
  }

  @Override
  public P valuesLike(float[] values, P like) {
    return new P(like.shape, values.clone());
  }

  @Override
  public float[] values(P x) {
    return x.v.clone();
  }

  @Override
  public long[] shape(P x) {
    return x.shape;
  }

  @Override
  public void mul(P x, double factor) {
    for (int i = 0; i < x.v.length; i++) {
      x.v[i] = (float) (x.v[i] * factor);
    }
  }

  @Override
  public void div(P x, double divisor) {
    for (int i = 0; i < x.v.length; i++) {
      x.v[i] = (float) (x.v[i] / divisor);
    }
  }

  @Override
  public void add(P x, double value) {
    for (int i = 0; i < x.v.length; i++) {
      x.v[i] = (float) (x.v[i] + value);
    }
  }

  @Override
  public void addScaled(P x, P y, double factor) {
    for (int i = 0; i < x.v.length; i++) {
      x.v[i] = (float) (x.v[i] + factor * y.v[i]);
    }
  }

  @Override
  public void addProduct(P x, P y, P z, double factor) {
    for (int i = 0; i < x.v.length; i++) {
      x.v[i] = (float) (x.v[i] + factor * y.v[i] * z.v[i]);
    }
  }

  @Override
  public void subQuotient(P x, P y, P z, double factor) {
    for (int i = 0; i < x.v.length; i++) {
      x.v[i] = (float) (x.v[i] - factor * (y.v[i] / z.v[i]));
    }
  }

  @Override
  public P sqrt(P x) {
    float[] out = new float[x.v.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) Math.sqrt(x.v[i]);
    }
    return new P(x.shape, out);
  }

  @Override
  public P plusScaled(P x, P y, double factor) {
    P out = new P(x.shape, x.v.clone());
    addScaled(out, y, factor);
    return out;
  }

  @Override
  public void zero(P x) {
    Arrays.fill(x.v, 0f);
  }

  @Override
  public double norm(Collection<P> xs) {
    double s = 0;
    for (P x : xs) {
      for (float f : x.v) {
        s += (double) f * f;
      }
    }
    return Math.sqrt(s);
  }

  @Override
  public boolean isFinite(P x) {
    for (float f : x.v) {
      if (!Float.isFinite(f)) {
        return false;
      }
    }
    return true;
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
  public double backward(Supplier<P> loss, double factor) {
    P l = loss.get();
    l.backward.accept(factor);
    return l.v[0];
  }

  @Override
  public void requireGradients(Collection<P> parameters, boolean on) {}

  @Override
  public Object runLock() {
    return this;
  }
}
