package org.cleft.api.train;

import java.util.function.DoubleConsumer;

/**
 * A float32 tensor on the Java heap with its gradient: the parameter handle of engines whose graphs compute the
 * gradients while the optimiser runs in Java ({@link HostUpdates}; TensorFlow's graph mode). A loss carries its
 * backward pass instead of a gradient.
 */
public final class HostTensor {
  private final String name;
  private final long[] shape;
  private final float[] values;
  private float[] gradient;
  private DoubleConsumer backward;

  /**
   * A tensor over {@code values} (not copied).
   *
   * @param name its name, for messages
   * @param shape its shape
   * @param values its values, row-major
   */
  public HostTensor(String name, long[] shape, float[] values) {
    this.name = name;
    this.shape = shape.clone();
    this.values = values;
  }

  /**
   * {@return a loss value whose backward pass is {@code backward} (called with the factor of the pass)}
   *
   * @param value the loss
   * @param backward adds {@code factor *} the loss's gradient to the parameters' gradients
   */
  public static HostTensor loss(double value, DoubleConsumer backward) {
    HostTensor t = new HostTensor("loss", new long[0], new float[] {(float) value});
    t.backward = backward;
    return t;
  }

  /** {@return the name} */
  public String name() {
    return name;
  }

  /** {@return the shape (a copy)} */
  public long[] shape() {
    return shape.clone();
  }

  /** {@return the values, row-major (the live array: updates change it)} */
  public float[] values() {
    return values;
  }

  /** {@return the gradient's values, or null before the first backward pass} */
  public float[] gradient() {
    return gradient;
  }

  /**
   * Adds {@code factor * d} to the gradient (a backward pass does this).
   *
   * @param factor the factor
   * @param d the gradient of one pass, as many values as the tensor has
   */
  public void accumulate(double factor, float[] d) {
    if (d.length != values.length) {
      throw new IllegalArgumentException(name + ": a gradient of " + d.length + " values for " + values.length);
    }
    if (gradient == null) {
      gradient = new float[values.length];
    }
    float[] acc = gradient;
    float f = (float) factor;
    HostUpdates.each(d.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        acc[i] += f * d[i];
      }
    });
  }

  /**
   * Runs this loss's backward pass.
   *
   * @param factor the factor of the pass (1 / accumulation)
   * @throws IllegalStateException when this is not a loss
   */
  public void backward(double factor) {
    if (backward == null) {
      throw new IllegalStateException(name + " is not a loss");
    }
    backward.accept(factor);
  }
}
