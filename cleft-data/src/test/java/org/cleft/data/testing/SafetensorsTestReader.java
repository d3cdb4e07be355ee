package org.cleft.data.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal, test-only safetensors reader (the real one lives in cleft-api): 8-byte little-endian
 * header length, a JSON header of {@code dtype}/{@code shape}/{@code data_offsets}, then raw
 * little-endian data. Reads I64 and F32 tensors.
 */
public final class SafetensorsTestReader {
  private final Path file;
  private final JsonNode header;
  private final ByteBuffer data;

  private SafetensorsTestReader(Path file, JsonNode header, ByteBuffer data) {
    this.file = file;
    this.header = header;
    this.data = data;
  }

  /** Reads the whole file. */
  public static SafetensorsTestReader open(Path file) throws IOException {
    ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = all.getLong(0);
    String json = new String(all.array(), 8, (int) headerLength, StandardCharsets.UTF_8);
    ByteBuffer data = all.slice(8 + (int) headerLength, all.capacity() - 8 - (int) headerLength)
        .order(ByteOrder.LITTLE_ENDIAN);
    return new SafetensorsTestReader(file, new ObjectMapper().readTree(json), data);
  }

  /** The shape of tensor {@code name}. */
  public long[] shape(String name) {
    JsonNode shape = entry(name).path("shape");
    long[] out = new long[shape.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = shape.get(i).asLong();
    }
    return out;
  }

  /** An I64 tensor's values, row-major. */
  public long[] longs(String name) {
    ByteBuffer b = bytes(name, "I64");
    long[] out = new long[b.remaining() / 8];
    b.asLongBuffer().get(out);
    return out;
  }

  /** A U8 or I64 tensor's values as longs, row-major. */
  public long[] integers(String name) {
    if ("U8".equals(entry(name).path("dtype").asText())) {
      ByteBuffer b = bytes(name, "U8");
      long[] out = new long[b.remaining()];
      for (int i = 0; i < out.length; i++) {
        out[i] = b.get(i) & 0xFF;
      }
      return out;
    }
    return longs(name);
  }

  /** An F32 tensor's values, row-major. */
  public float[] floats(String name) {
    ByteBuffer b = bytes(name, "F32");
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  private ByteBuffer bytes(String name, String dtype) {
    JsonNode e = entry(name);
    if (!dtype.equals(e.path("dtype").asText())) {
      throw new IllegalArgumentException(file + ": " + name + " is " + e.path("dtype").asText() + ", not " + dtype);
    }
    int from = e.path("data_offsets").get(0).asInt();
    int to = e.path("data_offsets").get(1).asInt();
    return data.slice(from, to - from).order(ByteOrder.LITTLE_ENDIAN);
  }

  private JsonNode entry(String name) {
    JsonNode e = header.get(name);
    if (e == null) {
      throw new IllegalArgumentException(file + ": no tensor " + name);
    }
    return e;
  }
}
