package org.cleft.api.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sparse file over 2 GiB (a few KB on disk): a 2 GiB F32 tensor {@code big} crossing the 2 GiB
 * file offset, then a small tensor {@code tail} beyond it. Exclude on file systems without sparse
 * files with {@code -Dcleft.excludedGroups=gpu,large-disk}.
 */
@Tag("large-disk")
class LargeFileTest {
  private static final long TWO_GIB = 1L << 31;
  private static final long BIG_BYTES = TWO_GIB; // one more byte than a ByteBuffer holds

  @TempDir static Path tmp;
  private static Path file;
  /** Index of the first element of {@code big} at or after file offset 2^31. */
  private static long boundaryElement;

  @BeforeAll
  static void createSparseFile() throws IOException {
    String json = "{\"big\":{\"dtype\":\"F32\",\"shape\":[" + BIG_BYTES / 4 + "],\"data_offsets\":[0," + BIG_BYTES
        + "]},\"tail\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + BIG_BYTES + "," + (BIG_BYTES + 16)
        + "]}}";
    StringBuilder padded = new StringBuilder(json);
    while (padded.length() % 8 != 0) {
      padded.append(' ');
    }
    byte[] header = padded.toString().getBytes(StandardCharsets.US_ASCII);
    long dataStart = 8 + header.length;
    boundaryElement = (TWO_GIB - dataStart) / 4;
    file = tmp.resolve("large.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(le(8).putLong(header.length).array());
      raf.write(header);
      raf.setLength(dataStart + BIG_BYTES + 16);
      raf.seek(dataStart + (boundaryElement - 2) * 4);
      raf.write(floats(1, 2, 3, 4)); // two floats before the 2 GiB offset, two after
      raf.seek(dataStart + BIG_BYTES);
      raf.write(floats(-1.5f, 2.5f, 1e30f, -0f));
    }
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] floats(float... v) {
    ByteBuffer b = le(v.length * 4);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  @Test
  void smallTensorBeyondTwoGibReads() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.info("tail").offset()).isGreaterThan(TWO_GIB);
      assertThat(f.floats("tail")).containsExactly(-1.5f, 2.5f, 1e30f, -0f);
      assertThat(f.info("big").byteLength()).isEqualTo(BIG_BYTES);
    }
  }

  @Test
  void partsOfATensorOverTwoGibReadAcrossTheBoundary() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      ByteBuffer raw = f.raw("big", (boundaryElement - 2) * 4, 16);
      assertThat(new float[] {raw.getFloat(), raw.getFloat(), raw.getFloat(), raw.getFloat()})
          .containsExactly(1, 2, 3, 4);
      assertThat(f.floats("big", boundaryElement - 2, 4)).containsExactly(1, 2, 3, 4);
      assertThat(f.floats("big", BIG_BYTES / 4 - 2, 2)).containsExactly(0, 0);
      assertThatThrownBy(() -> f.raw("big")).isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("large.safetensors").hasMessageContaining("'big'");
    }
    try (SafetensorsFile chunked = SafetensorsFile.open(file, 8)) {
      assertThat(chunked.floats("big", boundaryElement - 3, 6)).containsExactly(0, 1, 2, 3, 4, 0);
    }
  }
}
