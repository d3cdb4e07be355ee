package org.cleft.api.train;

import java.util.Arrays;
import java.util.Collection;

/**
 * The optimisers' tensor updates on the Java heap, float32 as the engines compute: for engines whose graphs give the
 * gradients and whose parameters live in Java between steps ({@link HostTensor}). A gradient is viewed as a tensor
 * over the gradient's array, so that updating it (clipping, zeroing) changes the gradient.
 */
public class HostUpdates implements TensorUpdates<HostTensor> {
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
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] * factor);
    }
  }

  @Override
  public void div(HostTensor x, double divisor) {
    float[] v = x.values();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / divisor);
    }
  }

  @Override
  public void add(HostTensor x, double value) {
    float[] v = x.values();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] + value);
    }
  }

  @Override
  public void addScaled(HostTensor x, HostTensor y, double factor) {
    float[] v = x.values();
    float[] w = y.values();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] + factor * w[i]);
    }
  }

  @Override
  public void addProduct(HostTensor x, HostTensor y, HostTensor z, double factor) {
    float[] v = x.values();
    float[] a = y.values();
    float[] b = z.values();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] + factor * a[i] * b[i]);
    }
  }

  @Override
  public void subQuotient(HostTensor x, HostTensor y, HostTensor z, double factor) {
    float[] v = x.values();
    float[] a = y.values();
    float[] b = z.values();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] - factor * (a[i] / b[i]));
    }
  }

  @Override
  public HostTensor sqrt(HostTensor x) {
    float[] v = x.values();
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) Math.sqrt(v[i]);
    }
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
}
