package org.cleft.api.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer replaces files atomically and leaves nothing behind when it fails. */
class AtomicWriteTest {
  @TempDir Path tmp;

  private List<Path> listing() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(Path::getFileName).toList();
    }
  }

  @Test
  void writeLeavesOnlyTheTarget() throws IOException {
    Path file = tmp.resolve("w.safetensors");
    SafetensorsWriter.write(file, Map.of("a", Tensor.ofFloats(new long[] {1}, new float[] {1})), Map.of());
    SafetensorsWriter.write(file, Map.of("b", Tensor.ofFloats(new long[] {1}, new float[] {2})), Map.of());
    assertThat(listing()).containsExactly(Path.of("w.safetensors"));
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.names()).containsExactly("b");
    }
  }

  @Test
  void failedWriteKeepsTheOldFileAndRemovesTheTemporaryOne() throws IOException {
    Path file = tmp.resolve("keep.safetensors");
    SafetensorsWriter.write(file, Map.of("a", Tensor.ofFloats(new long[] {2}, new float[] {1, 2})), null);
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> SafetensorsWriter.atomically(file, channel -> {
      channel.write(ByteBuffer.wrap(new byte[100]));
      throw new IOException("disk full");
    })).isInstanceOf(IOException.class).hasMessage("disk full");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(listing()).containsExactly(Path.of("keep.safetensors"));
  }

  @Test
  void writeCreatesMissingDirectories() throws IOException {
    Path file = tmp.resolve("a/b/c.safetensors");
    SafetensorsWriter.write(file, Map.of("x", Tensor.ofInts(new long[] {1}, new int[] {3})), null);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.longs("x")).containsExactly(3);
    }
  }
}
