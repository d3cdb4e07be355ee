package org.cleft.api.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.DType;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory check before a load: weight bytes per storage type, the refusal message, /proc/meminfo parsing. */
class MemoryBudgetTest {
  @TempDir Path tmp;

  @Test
  void weightBytesCountMatricesAtTheirStorageAndTheRestAsFloat32() throws IOException, CheckpointException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("matrix", Tensor.ofFloats(DType.BF16, new long[] {256, 256}, new float[256 * 256]));
    t.put("small", Tensor.ofFloats(new long[] {16, 16}, new float[256]));
    t.put("bias", Tensor.ofFloats(DType.F16, new long[] {256}, new float[256]));
    t.put("ids", Tensor.ofLongs(new long[] {4}, new long[4]));
    Path file = tmp.resolve("w.safetensors");
    SafetensorsWriter.write(file, t, Map.of());
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(MemoryBudget.weightBytes(f, n -> true, DType.F32)).isEqualTo((65536 + 256 + 256) * 4L);
      assertThat(MemoryBudget.weightBytes(f, n -> true, DType.F16)).isEqualTo(65536 * 2L + (256 + 256) * 4L);
      assertThat(MemoryBudget.weightBytes(f, n -> !n.equals("matrix"), DType.F16)).isEqualTo(512 * 4L);
    }
    assertThat(MemoryBudget.isMatrix(new long[] {256, 256})).isTrue();
    assertThat(MemoryBudget.isMatrix(new long[] {255, 256})).isFalse();
    assertThat(MemoryBudget.isMatrix(new long[] {1, 256, 256})).isFalse();
  }

  @Test
  void aLoadThatDoesNotFitIsRefusedWithBothFiguresAndTheFix() {
    assertThatThrownBy(() -> MemoryBudget.of(8_000_000_000L).require(10_400_000_000L, "loading /m on djl",
        "keep frozen weights in float16"))
        .isInstanceOf(InsufficientMemoryException.class)
        .hasMessage("loading /m on djl needs 10.40 GB of memory for its weights, but 8.00 GB is available (given); "
            + "keep frozen weights in float16");
    assertThatCode(() -> MemoryBudget.of(8_000_000_000L).require(7_999_999_999L, "x", "y")).doesNotThrowAnyException();
  }

  @Test
  void memAvailableIsReadFromMeminfo() throws IOException {
    Path meminfo = tmp.resolve("meminfo");
    Files.writeString(meminfo, "MemTotal:       24000000 kB\nMemFree:         1000000 kB\n"
        + "MemAvailable:   22789644 kB\nBuffers:          10000 kB\n");
    assertThat(MemoryBudget.meminfoAvailable(meminfo)).hasValue(22789644L * 1024);
    assertThat(MemoryBudget.meminfoAvailable(tmp.resolve("none"))).isEmpty();
  }
}
