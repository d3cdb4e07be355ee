package org.cleft.api.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformation the reader validates at open gives a message naming the file and tensor. */
class MalformedFileTest {
  @TempDir Path tmp;

  /** Writes {@code header} with its true length, then {@code dataBytes} zero bytes. */
  static Path file(Path dir, String name, String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return file(dir, name, json.length, json, dataBytes);
  }

  static Path file(Path dir, String name, long declaredLength, byte[] json, int dataBytes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(declaredLength).put(json);
    Path file = dir.resolve(name);
    Files.write(file, b.array());
    return file;
  }

  static Stream<Arguments> malformedEntries() {
    return Stream.of(
        Arguments.of("unknown dtype", "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", "F8_E4M3"),
        Arguments.of("missing dtype", "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "dtype"),
        Arguments.of("negative dim", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}", "shape"),
        Arguments.of("fractional dim", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", "shape"),
        Arguments.of("shape not array", "{\"w\":{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,16]}}", "shape"),
        Arguments.of("begin after end", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", "begin > end"),
        Arguments.of("one offset", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", "data_offsets"),
        Arguments.of("negative offset", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", "data_offsets"),
        Arguments.of("end beyond data", "{\"w\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}}", "beyond"),
        Arguments.of("bytes vs shape", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "needs 12 bytes"),
        Arguments.of("entry not object", "{\"w\":[1,2,3]}", "not a JSON object"),
        Arguments.of("overlap", "{\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", "tensor 'v'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedEntries")
  void malformedEntryNamesFileAndTensor(String label, String header, String detail) throws IOException {
    Path file = file(tmp, "bad-entry.safetensors", header, 16);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("'w'").hasMessageContaining(detail);
  }

  @Test
  void fileShorterThanEightBytes() throws IOException {
    Path file = Files.write(tmp.resolve("short.safetensors"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("short.safetensors").hasMessageContaining("shorter than");
  }

  @Test
  void headerLengthBeyondTheFile() throws IOException {
    Path file = file(tmp, "cut.safetensors", 1000, "{}".getBytes(StandardCharsets.UTF_8), 0);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("cut.safetensors").hasMessageContaining("beyond the end");
  }

  @Test
  void absurdHeaderLength() throws IOException {
    Path file = file(tmp, "huge.safetensors", 1L << 40, "{}".getBytes(StandardCharsets.UTF_8), 0);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("huge.safetensors").hasMessageContaining("not plausible");
    Path negative = file(tmp, "neg.safetensors", -5, "{}".getBytes(StandardCharsets.UTF_8), 0);
    assertThatThrownBy(() -> SafetensorsFile.open(negative)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("neg.safetensors");
  }

  @Test
  void headerNotJson() throws IOException {
    Path file = file(tmp, "nojson.safetensors", "{\"w\": {dtype", 0);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("nojson.safetensors").hasMessageContaining("not valid JSON");
    Path trailing = file(tmp, "trailing.safetensors", "{} {}", 0);
    assertThatThrownBy(() -> SafetensorsFile.open(trailing)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("trailing.safetensors");
  }

  @Test
  void headerNotAnObject() throws IOException {
    Path file = file(tmp, "array.safetensors", "[1, 2, 3]   ", 0);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("array.safetensors").hasMessageContaining("not a JSON object");
  }

  @Test
  void duplicateTensorName() throws IOException {
    String entry = "{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}";
    Path file = file(tmp, "dup.safetensors", "{\"w\":" + entry + ",\"w\":" + entry + "}", 1);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("dup.safetensors").hasMessageContaining("w");
  }

  @Test
  void metadataMustMapStringsToStrings() throws IOException {
    Path file = file(tmp, "meta.safetensors", "{\"__metadata__\":{\"step\":5}}", 0);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("meta.safetensors").hasMessageContaining("'step'");
  }

  @Test
  void missingTensorNamesFileAndTensor() throws IOException {
    Path file = file(tmp, "ok.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.contains("w")).isTrue();
      assertThat(f.metadata()).isEmpty();
      assertThatThrownBy(() -> f.floats("nope")).isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("ok.safetensors").hasMessageContaining("'nope'");
    }
  }

  @Test
  void missingFile() {
    Path file = tmp.resolve("absent.safetensors");
    assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("absent.safetensors");
  }

  @Test
  void closeIsIdempotentAndReadsAfterCloseFail() throws IOException {
    Path file = file(tmp, "ok.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
    SafetensorsFile f = SafetensorsFile.open(file);
    f.close();
    f.close();
    assertThatThrownBy(() -> f.longs("w")).isInstanceOf(IllegalStateException.class).hasMessageContaining("ok.safetensors");
  }
}
