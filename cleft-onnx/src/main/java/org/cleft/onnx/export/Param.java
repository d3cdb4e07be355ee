package org.cleft.onnx.export;

import java.io.IOException;
import java.util.Arrays;
import org.cleft.model.ValuesChange;

/**
 * A float32 tensor destined for an ONNX initializer: its shape, known when the graph is built, and
 * its values, read only when the model file is written so that one tensor at a time sits on the heap.
 *
 * @param name where the values come from (a checkpoint tensor name), for messages
 * @param shape the dimensions
 * @param values reads or computes the values, row-major, {@code prod(shape)} floats
 */
record Param(String name, long[] shape, Values values) {

  /** Computes a tensor's values; may read a file. */
  @FunctionalInterface
  interface Values {
    /**
     * The values, row-major.
     *
     * @throws IOException when the source file cannot be read
     */
    float[] get() throws IOException;
  }

  /** Copies the shape. */
  Param {
    shape = shape.clone();
  }

  /** A parameter whose values are already computed. */
  static Param of(String name, long[] shape, float[] values) {
    if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != values.length) {
      throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(shape));
    }
    return new Param(name, shape, () -> values);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  long numel() {
    return Arrays.stream(shape).reduce(1, Math::multiplyExact);
  }

  /** The values, checked against the shape. */
  float[] read() throws IOException {
    float[] v = values.get();
    if (v.length != numel()) {
      throw new IllegalStateException(name + ": " + v.length + " values for shape " + Arrays.toString(shape));
    }
    return v;
  }

  /** This 2-D parameter transposed: a PyTorch {@code nn.Linear} weight [out, in] becomes a MatMul operand [in, out]. */
  Param transposed() {
    if (shape.length != 2) {
      throw new IllegalStateException(name + ": transposing needs 2 dimensions, has " + Arrays.toString(shape));
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    return new Param(name, new long[] {cols, rows}, () -> {
      float[] in = read();
      float[] out = new float[in.length];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[c * rows + r] = in[r * cols + c];
        }
      }
      return out;
    });
  }

  /** This parameter with another shape of the same size (a view, as {@code reshape}). */
  Param reshaped(long... newShape) {
    Param p = new Param(name, newShape, values);
    if (p.numel() != numel()) {
      throw new IllegalArgumentException(name + ": cannot reshape " + Arrays.toString(shape) + " to "
          + Arrays.toString(newShape));
    }
    return p;
  }

  /** This parameter with its values changed in place by {@code change} (called at write time). */
  Param changed(ValuesChange change) {
    if (change == null) {
      return this;
    }
    return new Param(name, shape, () -> {
      float[] v = read();
      change.apply(v);
      return v;
    });
  }
}
