package org.cleft.api.safetensors;

import java.util.Arrays;

/**
 * Where one tensor of a safetensors file lies and what it holds.
 *
 * @param name the tensor name, as in the header
 * @param dtype the element type
 * @param shape the dimensions, outermost first (empty for a scalar); a defensive copy
 * @param offset absolute byte offset of the first element in the file
 * @param byteLength number of bytes, {@code numel() * dtype.byteSize()}
 */
public record TensorInfo(String name, DType dtype, long[] shape, long offset, long byteLength) {

  /**
   * Copies the shape and checks the values are consistent.
   *
   * @param name the tensor name, as in the header
   * @param dtype the element type
   * @param shape the dimensions, outermost first (empty for a scalar); a defensive copy
   * @param offset absolute byte offset of the first element in the file
   * @param byteLength number of bytes, {@code numel() * dtype.byteSize()}
   */
  public TensorInfo {
    if (name == null || dtype == null || shape == null) {
      throw new IllegalArgumentException("TensorInfo: name, dtype and shape are required");
    }
    shape = shape.clone();
    if (offset < 0 || byteLength < 0) {
      throw new IllegalArgumentException("TensorInfo " + name + ": negative offset or length");
    }
  }

  /** {@return a copy of the dimensions} */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** {@return number of elements: the product of the dimensions (1 for a scalar)} */
  public long numel() {
    return numel(shape);
  }

  /** {@return number of dimensions} */
  public int rank() {
    return shape.length;
  }

  /**
   * {@return the dimensions as ints; throws {@link IllegalStateException} if one exceeds
   * {@code Integer.MAX_VALUE}}
   */
  public int[] intShape() {
    int[] out = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] > Integer.MAX_VALUE) {
        throw new IllegalStateException("tensor " + name + ": dimension " + i + " = " + shape[i] + " exceeds an int");
      }
      out[i] = (int) shape[i];
    }
    return out;
  }

  /**
   * Product of {@code shape}'s dimensions.
   *
   * @throws ArithmeticException on overflow of a long
   */
  static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape)
        && t.offset == offset && t.byteLength == byteLength;
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape) + Long.hashCode(offset);
  }

  @Override
  public String toString() {
    return name + " " + dtype.headerName() + Arrays.toString(shape) + " @" + offset + "+" + byteLength;
  }
}
