package org.cleft.api.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Known bit patterns of binary16 and bfloat16. */
class HalfPrecisionTest {

  private static float f16(int bits) {
    return HalfPrecision.f16ToFloat((short) bits);
  }

  @Test
  void f16NormalsZerosAndLimits() {
    assertThat(f16(0x3c00)).isEqualTo(1.0f);
    assertThat(f16(0xc000)).isEqualTo(-2.0f);
    assertThat(f16(0x3555)).isEqualTo(0.333251953125f); // 1/3 rounded: 0x155/1024 * 2^-2 + 2^-2
    assertThat(f16(0x7bff)).isEqualTo(65504f);           // largest finite
    assertThat(f16(0x0400)).isEqualTo(0x1p-14f);          // smallest normal
    assertThat(Float.floatToRawIntBits(f16(0x0000))).isEqualTo(0);
    assertThat(Float.floatToRawIntBits(f16(0x8000))).isEqualTo(0x80000000); // -0.0 keeps its sign
  }

  @Test
  void f16Subnormals() {
    assertThat(f16(0x0001)).isEqualTo(0x1p-24f);          // smallest subnormal
    assertThat(f16(0x03ff)).isEqualTo(1023 * 0x1p-24f);   // largest subnormal
    assertThat(f16(0x8200)).isEqualTo(-0x1p-15f);
  }

  @Test
  void f16InfinityAndNan() {
    assertThat(f16(0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(f16(0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(f16(0x7e00)).isNaN();
    assertThat(f16(0x7c01)).isNaN(); // a signalling payload stays a NaN, not infinity
  }

  @Test
  void everyF16PatternRoundTrips() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = f16(bits);
      if (!Float.isNaN(f)) {
        assertThat(HalfPrecision.floatToF16(f) & 0xffff).as("0x%04x", bits).isEqualTo(bits);
      }
    }
  }

  @Test
  void floatToF16RoundsToNearestEven() {
    assertThat(HalfPrecision.floatToF16(1 + 0x1p-11f)).isEqualTo((short) 0x3c00);       // tie, even is 1.0
    assertThat(HalfPrecision.floatToF16(1 + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);   // tie, even is up
    assertThat(HalfPrecision.floatToF16(65519f)).isEqualTo((short) 0x7bff);
    assertThat(HalfPrecision.floatToF16(65520f)).isEqualTo((short) 0x7c00);             // overflows to inf
    assertThat(HalfPrecision.floatToF16(0x1p-25f)).isEqualTo((short) 0);               // tie to even zero
    assertThat(HalfPrecision.floatToF16(0x1.8p-25f)).isEqualTo((short) 1);
    assertThat(HalfPrecision.floatToF16(-0x1p-30f)).isEqualTo((short) 0x8000);
    assertThat(f16(HalfPrecision.floatToF16(Float.NaN))).isNaN();
  }

  @Test
  void bf16IsTheUpperHalfOfAFloat() {
    assertThat(HalfPrecision.bf16ToFloat((short) 0x3f80)).isEqualTo(1.0f);
    assertThat(HalfPrecision.bf16ToFloat((short) 0xc040)).isEqualTo(-3.0f);
    assertThat(HalfPrecision.bf16ToFloat((short) 0x4049)).isEqualTo(3.140625f);
    assertThat(HalfPrecision.bf16ToFloat((short) 0x0001)).isEqualTo(Float.intBitsToFloat(0x00010000)); // subnormal
    assertThat(HalfPrecision.bf16ToFloat((short) 0xff80)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(HalfPrecision.bf16ToFloat((short) 0x7fc0)).isNaN();
  }

  @Test
  void floatToBf16RoundsToNearestEven() {
    assertThat(HalfPrecision.floatToBf16((float) Math.PI)).isEqualTo((short) 0x4049);
    assertThat(HalfPrecision.floatToBf16(Float.intBitsToFloat(0x3f808000))).isEqualTo((short) 0x3f80); // tie down
    assertThat(HalfPrecision.floatToBf16(Float.intBitsToFloat(0x3f818000))).isEqualTo((short) 0x3f82); // tie up
    assertThat(HalfPrecision.floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80);
    assertThat(HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(Float.NaN))).isNaN();
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = HalfPrecision.bf16ToFloat((short) bits);
      if (!Float.isNaN(f)) {
        assertThat(HalfPrecision.floatToBf16(f) & 0xffff).isEqualTo(bits);
      }
    }
  }
}
