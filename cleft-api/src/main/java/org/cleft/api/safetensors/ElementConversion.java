package org.cleft.api.safetensors;

import java.nio.ByteBuffer;

/** Conversion of little-endian element bytes to float32 or long arrays, per dtype. */
final class ElementConversion {

  private ElementConversion() {}

  /** Converts {@code count} elements from {@code src} (little-endian, at its position) into {@code dst[off..]}. */
  static void toFloats(DType dtype, ByteBuffer src, float[] dst, int off, int count) {
    switch (dtype) {
      case F32 -> src.asFloatBuffer().get(dst, off, count);
      case F16 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = HalfPrecision.f16ToFloat(src.getShort());
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = HalfPrecision.bf16ToFloat(src.getShort());
        }
      }
      case F64 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = (float) src.getDouble();
        }
      }
      case I64 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.getLong();
        }
      }
      case I32 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.getInt();
        }
      }
      case I8 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.get();
        }
      }
      case U8 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.get() & 0xff;
        }
      }
      case BOOL -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.get() != 0 ? 1f : 0f;
        }
      }
    }
  }

  /**
   * Writes {@code values[0..count)} to {@code out} (little-endian) as {@code to}: F32 exactly, F16 and BF16
   * rounded to nearest-even.
   *
   * @return the index of the first finite value that overflowed to infinity, or -1 when none did
   */
  static int narrow(float[] values, int count, DType to, ByteBuffer out) {
    switch (to) {
      case F32 -> out.asFloatBuffer().put(values, 0, count);
      case F16, BF16 -> {
        int infinity = to == DType.F16 ? 0x7c00 : 0x7f80;
        for (int i = 0; i < count; i++) {
          short h = to == DType.F16 ? HalfPrecision.floatToF16(values[i]) : HalfPrecision.floatToBf16(values[i]);
          if ((h & 0x7fff) == infinity && Float.isFinite(values[i])) {
            return i;
          }
          out.putShort(h);
        }
        return -1;
      }
      default -> throw new IllegalArgumentException("cannot narrow to " + to);
    }
    out.position(out.position() + count * 4);
    return -1;
  }

  /** Converts {@code count} integer or boolean elements from {@code src} into {@code dst[off..]}. */
  static void toLongs(DType dtype, ByteBuffer src, long[] dst, int off, int count) {
    switch (dtype) {
      case I64 -> src.asLongBuffer().get(dst, off, count);
      case I32 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.getInt();
        }
      }
      case I8 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.get();
        }
      }
      case U8 -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.get() & 0xff;
        }
      }
      case BOOL -> {
        for (int i = 0; i < count; i++) {
          dst[off + i] = src.get() != 0 ? 1 : 0;
        }
      }
      default -> throw new IllegalArgumentException(dtype + " is not an integer type");
    }
  }
}
