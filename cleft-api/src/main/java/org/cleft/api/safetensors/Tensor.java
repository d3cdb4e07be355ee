package org.cleft.api.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor to write: element type, shape and the little-endian bytes of its elements in row-major
 * order. The byte count is checked against the shape. The buffer is kept as a read-only view (no
 * copy), so a tensor read with {@link #from(TensorSource, String)} stays memory-mapped.
 *
 * @param dtype the element type
 * @param shape the dimensions, outermost first (empty for a scalar); a defensive copy
 * @param data the element bytes, {@code numel * dtype.byteSize()} of them from position to limit;
 *     the accessor returns an independent little-endian view at position 0
 */
public record Tensor(DType dtype, long[] shape, ByteBuffer data) {

  /**
   * Checks the byte count against the shape and takes read-only views of the arguments.
   *
   * @param dtype the element type
   * @param shape the dimensions, outermost first (empty for a scalar); a defensive copy
   * @param data the element bytes, {@code numel * dtype.byteSize()} of them from position to limit; the
   *     accessor returns an independent little-endian view at position 0
   */
  public Tensor {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    shape = shape.clone();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    long expected;
    try {
      expected = Math.multiplyExact(TensorInfo.numel(shape), dtype.byteSize());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large", e);
    }
    if (expected != data.remaining()) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype.headerName()
          + " needs " + expected + " bytes, got " + data.remaining());
    }
    data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A tensor of float32 values.
   *
   * @param shape the dimensions
   * @param values the elements, row-major
   * @return an {@code F32} tensor
   */
  public static Tensor ofFloats(long[] shape, float[] values) {
    return ofFloats(DType.F32, shape, values);
  }

  /**
   * A tensor of floating-point type {@code dtype} holding {@code values}, rounded to nearest-even
   * for {@code F16} and {@code BF16}.
   *
   * @param dtype {@code F32}, {@code F16}, {@code BF16} or {@code F64}
   * @param shape the dimensions
   * @param values the elements, row-major
   * @return the tensor
   * @throws IllegalArgumentException if {@code dtype} is not floating point or the count does not match the shape
   */
  public static Tensor ofFloats(DType dtype, long[] shape, float[] values) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(dtype + " is not a floating-point type");
    }
    ByteBuffer b = allocate(values.length, dtype);
    for (float v : values) {
      switch (dtype) {
        case F32 -> b.putFloat(v);
        case F16 -> b.putShort(HalfPrecision.floatToF16(v));
        case BF16 -> b.putShort(HalfPrecision.floatToBf16(v));
        default -> b.putDouble(v);
      }
    }
    return new Tensor(dtype, shape, b.flip());
  }

  /**
   * A tensor of float64 values.
   *
   * @param shape the dimensions
   * @param values the elements, row-major
   * @return an {@code F64} tensor
   */
  public static Tensor ofDoubles(long[] shape, double[] values) {
    ByteBuffer b = allocate(values.length, DType.F64);
    b.asDoubleBuffer().put(values);
    return new Tensor(DType.F64, shape, b);
  }

  /**
   * A tensor of signed 64-bit integers (the type of token ids and attention masks).
   *
   * @param shape the dimensions
   * @param values the elements, row-major
   * @return an {@code I64} tensor
   */
  public static Tensor ofLongs(long[] shape, long[] values) {
    ByteBuffer b = allocate(values.length, DType.I64);
    b.asLongBuffer().put(values);
    return new Tensor(DType.I64, shape, b);
  }

  /**
   * A tensor of signed 32-bit integers.
   *
   * @param shape the dimensions
   * @param values the elements, row-major
   * @return an {@code I32} tensor
   */
  public static Tensor ofInts(long[] shape, int[] values) {
    ByteBuffer b = allocate(values.length, DType.I32);
    b.asIntBuffer().put(values);
    return new Tensor(DType.I32, shape, b);
  }

  /**
   * A boolean tensor, one byte per element.
   *
   * @param shape the dimensions
   * @param values the elements, row-major
   * @return a {@code BOOL} tensor
   */
  public static Tensor ofBooleans(long[] shape, boolean[] values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] ? 1 : 0);
    }
    return of(DType.BOOL, shape, bytes);
  }

  /**
   * A tensor of any type from its little-endian element bytes (copied).
   *
   * @param dtype the element type
   * @param shape the dimensions
   * @param littleEndianBytes {@code numel * dtype.byteSize()} bytes
   * @return the tensor
   */
  public static Tensor of(DType dtype, long[] shape, byte[] littleEndianBytes) {
    return new Tensor(dtype, shape, ByteBuffer.wrap(littleEndianBytes.clone()));
  }

  /**
   * Tensor {@code name} of {@code source}, as its memory-mapped bytes (no copy; the mapping stays
   * valid after the source is closed).
   *
   * @param source an open tensor source
   * @param name a tensor name
   * @return the tensor
   * @throws SafetensorsException if the tensor is missing or over 2 GiB
   */
  public static Tensor from(TensorSource source, String name) throws SafetensorsException {
    TensorInfo info = source.info(name);
    return new Tensor(info.dtype(), info.shape(), source.raw(name));
  }

  /** {@return a copy of the dimensions} */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** {@return an independent read-only little-endian view of the element bytes, position 0} */
  @Override
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** {@return number of elements} */
  public long numel() {
    return TensorInfo.numel(shape);
  }

  /** {@return number of bytes of element data} */
  public long byteLength() {
    return data.capacity();
  }

  /** {@return the elements converted to float32 (see {@link TensorSource#floats(String)} for the rules)} */
  public float[] toFloats() {
    float[] out = new float[(int) numel()];
    ElementConversion.toFloats(dtype, data(), out, 0, out.length);
    return out;
  }

  /**
   * {@return the elements as longs}
   *
   * @throws IllegalStateException if the type is floating point
   */
  public long[] toLongs() {
    if (dtype.isFloatingPoint()) {
      throw new IllegalStateException(dtype + " is floating point, not integer");
    }
    long[] out = new long[(int) numel()];
    ElementConversion.toLongs(dtype, data(), out, 0, out.length);
    return out;
  }

  private static ByteBuffer allocate(int count, DType dtype) {
    return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && t.dtype == dtype && Arrays.equals(t.shape, shape) && t.data.equals(data);
  }

  @Override
  public int hashCode() {
    return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + data.hashCode();
  }

  @Override
  public String toString() {
    return "Tensor[" + dtype.headerName() + Arrays.toString(shape) + "]";
  }
}
