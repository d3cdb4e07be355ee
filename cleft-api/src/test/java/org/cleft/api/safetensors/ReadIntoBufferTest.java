package org.cleft.api.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TensorSource#read}: chunked channel reads into a caller's buffer, with the dtype conversions of loading. */
class ReadIntoBufferTest {
  @TempDir Path tmp;

  private static final float[] VALUES = {0f, 1f, -2.5f, 3.1415927f, 1e-3f, -60000f, 7e-8f, 1234.5678f, -0f, 42f};
  private static final long[] SHAPE = {2, 5};
  private Path file;

  @BeforeEach
  void write() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("f32", Tensor.ofFloats(SHAPE, VALUES));
    tensors.put("f16", Tensor.ofFloats(DType.F16, SHAPE, VALUES));
    tensors.put("bf16", Tensor.ofFloats(DType.BF16, SHAPE, VALUES));
    tensors.put("big", Tensor.ofFloats(new long[] {2}, new float[] {1f, 70000f}));
    tensors.put("ids", Tensor.ofLongs(new long[] {2}, new long[] {1, 2}));
    file = tmp.resolve("t.safetensors");
    SafetensorsWriter.write(file, tensors, Map.of());
  }

  @Test
  void everyPairOfTypesMatchesTheElementwiseConversion() throws IOException {
    // maxMapBytes 6 forces chunks of one element: every chunk boundary is crossed
    for (long chunk : new long[] {Integer.MAX_VALUE, 6}) {
      try (SafetensorsFile f = SafetensorsFile.open(file, chunk)) {
        for (String name : new String[] {"f32", "f16", "bf16"}) {
          float[] stored = f.floats(name);
          for (DType to : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            ByteBuffer dst = ByteBuffer.allocateDirect(VALUES.length * to.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            f.read(name, to, 0, dst);
            assertThat(dst.hasRemaining()).isFalse();
            dst.flip();
            for (int i = 0; i < VALUES.length; i++) {
              float want = switch (to) {
                case F32 -> stored[i];
                case F16 -> HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(stored[i]));
                default -> HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(stored[i]));
              };
              float got = to == DType.F32 ? dst.getFloat(i * 4)
                  : to == DType.F16 ? HalfPrecision.f16ToFloat(dst.getShort(i * 2))
                  : HalfPrecision.bf16ToFloat(dst.getShort(i * 2));
              assertThat(Float.floatToIntBits(got)).as(name + " -> " + to + " [" + i + "] chunk " + chunk)
                  .isEqualTo(Float.floatToIntBits(want));
            }
          }
        }
      }
    }
  }

  @Test
  void aRangeLandsAtTheBufferPosition() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file, 8)) {
      ByteBuffer dst = ByteBuffer.allocate(4 + 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
      dst.putFloat(-1f);
      f.read("f32", DType.F32, 6, dst);
      assertThat(dst.position()).isEqualTo(16);
      assertThat(new float[] {dst.getFloat(0), dst.getFloat(4), dst.getFloat(8), dst.getFloat(12)})
          .containsExactly(-1f, VALUES[6], VALUES[7], VALUES[8]);
      assertThatThrownBy(() -> f.read("f32", DType.F32, 8, ByteBuffer.allocate(12)))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void valuesBeyondHalfRangeAreRefusedNamingTheTensorAndElement() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThatThrownBy(() -> f.read("big", DType.F16, 0, ByteBuffer.allocate(4)))
          .isInstanceOf(SafetensorsException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("'big'")
          .hasMessageContaining("element 1 (70000.0)").hasMessageContaining("float32");
      ByteBuffer bf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      f.read("big", DType.BF16, 0, bf);
      assertThat(HalfPrecision.bf16ToFloat(bf.getShort(2))).isEqualTo(70144f);
    }
  }

  @Test
  void integerTensorsAndBadTargetsAreRefused() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThatThrownBy(() -> f.read("ids", DType.F32, 0, ByteBuffer.allocate(8)))
          .isInstanceOf(SafetensorsException.class).hasMessageContaining("'ids'")
          .hasMessageContaining("not floating point");
      assertThatThrownBy(() -> f.read("f32", DType.F64, 0, ByteBuffer.allocate(8)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> f.read("f32", DType.F32, 0, ByteBuffer.allocate(8).asReadOnlyBuffer()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
