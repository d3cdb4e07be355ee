package org.cleft.api.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes every dtype, reads it back, and checks the layout the HuggingFace library expects. */
class RoundTripTest {
  @TempDir Path tmp;

  private static final long[] SHAPE = {2, 3};

  @Test
  void everyDtypeRoundTrips() throws IOException {
    float[] values = {0f, 1f, -2.5f, 3.25f, 100f, -0.125f};
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("f32", Tensor.ofFloats(SHAPE, values));
    tensors.put("f16", Tensor.ofFloats(DType.F16, SHAPE, values));
    tensors.put("bf16", Tensor.ofFloats(DType.BF16, SHAPE, values));
    tensors.put("f64", Tensor.ofDoubles(SHAPE, new double[] {0, 1, -2.5, 3.25, 100, -0.125}));
    tensors.put("i64", Tensor.ofLongs(SHAPE, new long[] {0, 1, -2, Long.MAX_VALUE, Long.MIN_VALUE, 5}));
    tensors.put("i32", Tensor.ofInts(SHAPE, new int[] {0, 1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 5}));
    tensors.put("i8", Tensor.of(DType.I8, SHAPE, new byte[] {0, 1, -2, 127, -128, 5}));
    tensors.put("u8", Tensor.of(DType.U8, SHAPE, new byte[] {0, 1, (byte) 254, 127, (byte) 128, 5}));
    tensors.put("bool", Tensor.ofBooleans(SHAPE, new boolean[] {false, true, true, false, false, true}));
    tensors.put("scalar", Tensor.ofFloats(new long[0], new float[] {7f}));
    tensors.put("empty", Tensor.ofFloats(new long[] {0, 4}, new float[0]));
    Path file = tmp.resolve("all.safetensors");
    SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.metadata()).containsExactly(Map.entry("format", "pt"));
      assertThat(f.names()).containsExactlyInAnyOrderElementsOf(tensors.keySet()).isSorted();
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        TensorInfo info = f.info(e.getKey());
        assertThat(info.dtype()).isEqualTo(e.getValue().dtype());
        assertThat(info.shape()).isEqualTo(e.getValue().shape());
        assertThat(info.offset() % info.dtype().byteSize()).as("aligned " + e.getKey()).isZero();
        assertThat(f.raw(e.getKey())).isEqualTo(e.getValue().data());
        assertThat(Tensor.from(f, e.getKey())).isEqualTo(e.getValue());
      }
      for (String name : List.of("f32", "f16", "bf16", "f64")) {
        assertThat(f.floats(name)).as(name).containsExactly(values);
      }
      assertThat(f.longs("i64")).containsExactly(0, 1, -2, Long.MAX_VALUE, Long.MIN_VALUE, 5);
      assertThat(f.longs("i32")).containsExactly(0, 1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 5);
      assertThat(f.longs("i8")).containsExactly(0, 1, -2, 127, -128, 5);
      assertThat(f.longs("u8")).containsExactly(0, 1, 254, 127, 128, 5);
      assertThat(f.longs("bool")).containsExactly(0, 1, 1, 0, 0, 1);
      assertThat(f.floats("u8")).containsExactly(0, 1, 254, 127, 128, 5);
      assertThat(f.floats("bool")).containsExactly(0, 1, 1, 0, 0, 1);
      assertThat(f.floats("scalar")).containsExactly(7f);
      assertThat(f.info("scalar").rank()).isZero();
      assertThat(f.info("scalar").numel()).isOne();
      assertThat(f.floats("empty")).isEmpty();
      assertThat(f.raw("f32").isReadOnly()).isTrue();
      assertThat(f.raw("f32").order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
      assertThatThrownBy(() -> f.longs("f32")).isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("all.safetensors").hasMessageContaining("'f32'");
    }
  }

  @Test
  void headerIsSortedPaddedToEightBytesAndDataAligned() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("b", Tensor.of(DType.U8, new long[] {3}, new byte[] {1, 2, 3}));
    tensors.put("a", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}));
    tensors.put("c", Tensor.ofLongs(new long[] {1}, new long[] {9}));
    Path file = tmp.resolve("layout.safetensors");
    SafetensorsWriter.write(file, tensors, Map.of("z", "1", "format", "pt"));
    byte[] bytes = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(n % 8).isZero();
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertThat(header).startsWith("{\"__metadata__\":{\"format\":\"pt\",\"z\":\"1\"},\"a\":");
    assertThat(header.indexOf("\"a\"")).isLessThan(header.indexOf("\"b\""));
    assertThat(header.indexOf("\"b\"")).isLessThan(header.indexOf("\"c\""));
    assertThat(header.strip()).endsWith("}");
    assertThat(new ObjectMapper().readTree(header).get("c").get("data_offsets").toString()).isEqualTo("[0,8]");
    assertThat(bytes.length).isEqualTo(8 + n + 8 + 8 + 3);
  }

  @Test
  void tensorRejectsAByteCountThatDoesNotMatchItsShape() {
    assertThatThrownBy(() -> Tensor.ofFloats(new long[] {2, 2}, new float[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2]");
    assertThatThrownBy(() -> Tensor.of(DType.I32, new long[] {-1}, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Tensor.ofFloats(DType.I32, SHAPE, new float[6]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reservedTensorNameIsRefusedBeforeAnythingIsWritten() {
    Path file = tmp.resolve("bad.safetensors");
    assertThatThrownBy(() -> SafetensorsWriter.write(file,
        Map.of("__metadata__", Tensor.ofFloats(new long[] {1}, new float[1])), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(file).doesNotExist();
  }

  @Test
  void tensorConvertsItsOwnData() {
    Tensor t = Tensor.ofFloats(DType.BF16, new long[] {3}, new float[] {1f, 2f, 0.5f});
    assertThat(t.toFloats()).containsExactly(1f, 2f, 0.5f);
    assertThat(t.byteLength()).isEqualTo(6);
    assertThat(Tensor.ofInts(new long[] {2}, new int[] {4, -4}).toLongs()).containsExactly(4, -4);
    assertThatThrownBy(t::toLongs).isInstanceOf(IllegalStateException.class);
  }
}
