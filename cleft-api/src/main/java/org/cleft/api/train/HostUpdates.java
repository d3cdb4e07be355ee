package org.cleft.api.train;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.IntStream;

/**
 * The optimisers' tensor updates on the Java heap, float32 as the engines compute (a scalar is cast to float first, as
 * PyTorch's kernels do): for engines whose graphs give the gradients and whose parameters live in Java between steps
 * ({@link HostTensor}). Large tensors are updated in chunks on the common fork-join pool. A gradient is viewed as a tensor
 * over the gradient's array, so that updating it (clipping, zeroing) changes the gradient.
 */
public class HostUpdates implements TensorUpdates<HostTensor> {
  private static final int CHUNK = 1 << 16;
  private static final int PARALLEL_FROM = 1 << 18;

  /** The updates (stateless). */
  public HostUpdates() {}

  @Override
  public HostTensor gradient(HostTensor parameter) {
    float[] g = parameter.gradient();
    return g == null ? null : new HostTensor(parameter.name() + ".grad", parameter.shape(), g);
  }

  @Override
  public HostTensor zerosLike(HostTensor like) {
    return new HostTensor(like.name(), like.shape(), new float[like.values().length]);
  }

  @Override
  public HostTensor valuesLike(float[] values, HostTensor like) {
    return new HostTensor(like.name(), like.shape(), values.clone());
  }

  @Override
  public float[] values(HostTensor x) {
    return x.values().clone();
  }

  @Override
  public long[] shape(HostTensor x) {
    return x.shape();
  }

  @Override
  public void mul(HostTensor x, double factor) {
    float[] v = x.values();
    float f = (float) factor;
    each(v.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        v[i] *= f;
      }
    });
  }

  @Override
  public void div(HostTensor x, double divisor) {
    float[] v = x.values();
    float d = (float) divisor;
    each(v.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        v[i] /= d;
      }
    });
  }

  @Override
  public void add(HostTensor x, double value) {
    float[] v = x.values();
    float a = (float) value;
    each(v.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        v[i] += a;
      }
    });
  }

  @Override
  public void addScaled(HostTensor x, HostTensor y, double factor) {
    float[] v = x.values();
    float[] w = y.values();
    float f = (float) factor;
    each(v.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        v[i] += f * w[i];
      }
    });
  }

  @Override
  public void addProduct(HostTensor x, HostTensor y, HostTensor z, double factor) {
    float[] v = x.values();
    float[] a = y.values();
    float[] b = z.values();
    float f = (float) factor;
    each(v.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        v[i] += f * a[i] * b[i];
      }
    });
  }

  @Override
  public void subQuotient(HostTensor x, HostTensor y, HostTensor z, double factor) {
    float[] v = x.values();
    float[] a = y.values();
    float[] b = z.values();
    float f = (float) factor;
    each(v.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        v[i] -= f * (a[i] / b[i]);
      }
    });
  }

  @Override
  public HostTensor sqrt(HostTensor x) {
    float[] v = x.values();
    float[] out = new float[v.length];
    each(v.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        out[i] = (float) Math.sqrt(v[i]);
      }
    });
    return new HostTensor(x.name(), x.shape(), out);
  }

  @Override
  public HostTensor plusScaled(HostTensor x, HostTensor y, double factor) {
    HostTensor out = new HostTensor(x.name(), x.shape(), x.values().clone());
    addScaled(out, y, factor);
    return out;
  }

  @Override
  public void zero(HostTensor x) {
    Arrays.fill(x.values(), 0f);
  }

  @Override
  public double norm(Collection<HostTensor> xs) {
    double s = 0;
    for (HostTensor x : xs) {
      for (float f : x.values()) {
        s += (double) f * f;
      }
    }
    return Math.sqrt(s);
  }

  @Override
  public boolean isFinite(HostTensor x) {
    for (float f : x.values()) {
      if (!Float.isFinite(f)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long size(HostTensor x) {
    return x.values().length;
  }

  /** A loop over {@code [from, to)}. */
  @FunctionalInterface
  interface Range {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, n)}: in chunks on the common fork-join pool when the tensor is large (each
   * element is computed alone, so the result is the same however it is split), in the caller's thread otherwise.
   */
  static void each(int n, Range body) {
    if (n < PARALLEL_FROM) {
      body.run(0, n);
      return;
    }
    int chunks = (n + CHUNK - 1) / CHUNK;
    IntStream.range(0, chunks).parallel().forEach(c -> body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
  }
}
