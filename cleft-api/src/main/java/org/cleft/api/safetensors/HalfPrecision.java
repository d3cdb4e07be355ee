package org.cleft.api.safetensors;

/**
 * Bit-exact conversions between float32 and the 16-bit float formats of safetensors: IEEE 754
 * binary16 ({@code F16}) and bfloat16 ({@code BF16}). Widening is exact; narrowing rounds to the
 * nearest value, ties to even, as PyTorch does. ({@code Float.float16ToFloat} exists only from Java 20.)
 */
public final class HalfPrecision {

  private HalfPrecision() {}

  /**
   * The float32 value of a binary16 bit pattern: normals, subnormals, signed zeros, infinities and
   * NaNs (payload kept) all convert exactly.
   *
   * @param bits the 16 bits, as stored
   * @return the same value as a float
   */
  public static float f16ToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // zero or subnormal: mantissa * 2^-24, exact in float32
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    // rebias the exponent from 15 to 127
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /**
   * The float32 value of a bfloat16 bit pattern (exact: bfloat16 is the upper half of a float32).
   *
   * @param bits the 16 bits, as stored
   * @return the same value as a float
   */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /**
   * The nearest binary16 value to {@code value} (ties to even; overflow gives infinity; NaN stays NaN).
   *
   * @param value a float
   * @return the binary16 bit pattern
   */
  public static short floatToF16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs >= 0x7f800000) {
      int nan = abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0;
      return (short) (sign | 0x7c00 | nan);
    }
    if (abs >= 0x477ff000) {
      // 65520 and above round to infinity (65504 is the largest finite half)
      return (short) (sign | 0x7c00);
    }
    if (abs < 0x38800000) {
      // below 2^-14: a subnormal half, units of 2^-24; scaling by 2^24 is exact, rint rounds half-even
      int units = (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24f);
      return (short) (sign | units);
    }
    int half = (((abs >>> 23) - 112) << 10) | ((abs >>> 13) & 0x3ff);
    int rest = abs & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // a carry into the exponent is the correct rounding
    }
    return (short) (sign | half);
  }

  /**
   * The nearest bfloat16 value to {@code value} (ties to even; NaN stays a quiet NaN).
   *
   * @param value a float
   * @return the bfloat16 bit pattern
   */
  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }
}
