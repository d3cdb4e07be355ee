package org.cleft.api.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of one safetensors file: an 8-byte little-endian length, then
 * that many bytes of JSON mapping tensor names to dtype, shape and data offsets (relative to the
 * data section that follows the header), plus an optional {@code __metadata__} string map.
 */
final class SafetensorsHeader {
  /** Headers beyond this are refused as corrupt (the HuggingFace library uses the same limit). */
  static final long MAX_HEADER_BYTES = 100_000_000L;
  static final String METADATA_KEY = "__metadata__";

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Map<String, String> metadata;
  private final Map<String, TensorInfo> tensors;

  private SafetensorsHeader(Map<String, String> metadata, Map<String, TensorInfo> tensors) {
    this.metadata = Collections.unmodifiableMap(metadata);
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  Map<String, String> metadata() {
    return metadata;
  }

  /** Tensors by name, in header order. */
  Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** Reads and validates the header of {@code channel}, the open file {@code file}. */
  static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw SafetensorsException.of(file, "file is " + size + " bytes, shorter than the 8-byte header length");
    }
    long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
      throw SafetensorsException.of(file, "header length " + Long.toUnsignedString(headerLength)
          + " is not plausible (at most " + MAX_HEADER_BYTES + " bytes); not a safetensors file?");
    }
    if (8 + headerLength > size) {
      throw SafetensorsException.of(file, "header length " + headerLength + " runs beyond the end of the file ("
          + size + " bytes)");
    }
    ByteBuffer json = readFully(channel, 8, (int) headerLength);
    long dataStart = 8 + headerLength;
    return parse(file, json.array(), dataStart, size - dataStart);
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      int n = channel.read(buf, position + buf.position());
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + (position + buf.position()));
      }
    }
    buf.flip();
    return buf;
  }

  private static SafetensorsHeader parse(Path file, byte[] json, long dataStart, long dataSize)
      throws SafetensorsException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SafetensorsException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SafetensorsException(file + ": cannot parse the header: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw SafetensorsException.of(file, "header is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (METADATA_KEY.equals(e.getKey())) {
        readMetadata(file, e.getValue(), metadata);
      } else {
        tensors.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataStart, dataSize));
      }
    }
    checkOverlaps(file, tensors.values(), dataStart);
    return new SafetensorsHeader(metadata, tensors);
  }

  private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws SafetensorsException {
    if (!node.isObject()) {
      throw SafetensorsException.of(file, METADATA_KEY + " is not a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw SafetensorsException.of(file, METADATA_KEY + " value of '" + e.getKey() + "' is not a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
  }

  private static TensorInfo entry(Path file, String name, JsonNode node, long dataStart, long dataSize)
      throws SafetensorsException {
    if (!node.isObject()) {
      throw SafetensorsException.of(file, name, "header entry is not a JSON object");
    }
    DType dtype;
    try {
      dtype = DType.parse(node.path("dtype").isTextual() ? node.get("dtype").asText() : null);
    } catch (IllegalArgumentException e) {
      throw SafetensorsException.of(file, name, "dtype " + node.path("dtype") + ": " + e.getMessage());
    }
    long[] shape = longs(file, name, node.get("shape"), "shape", -1);
    long[] offsets = longs(file, name, node.get("data_offsets"), "data_offsets", 2);
    if (offsets[0] > offsets[1]) {
      throw SafetensorsException.of(file, name, "data_offsets " + Arrays.toString(offsets) + " has begin > end");
    }
    if (offsets[1] > dataSize) {
      throw SafetensorsException.of(file, name, "data_offsets end " + offsets[1]
          + " is beyond the data section (" + dataSize + " bytes); file truncated?");
    }
    long expected;
    try {
      expected = Math.multiplyExact(TensorInfo.numel(shape), dtype.byteSize());
    } catch (ArithmeticException e) {
      throw SafetensorsException.of(file, name, "shape " + Arrays.toString(shape) + " is too large");
    }
    long actual = offsets[1] - offsets[0];
    if (expected != actual) {
      throw SafetensorsException.of(file, name, "shape " + Arrays.toString(shape) + " of " + dtype.headerName()
          + " needs " + expected + " bytes but data_offsets " + Arrays.toString(offsets) + " span " + actual);
    }
    return new TensorInfo(name, dtype, shape, dataStart + offsets[0], actual);
  }

  /** A JSON array of non-negative integers ({@code length} of them unless negative). */
  private static long[] longs(Path file, String name, JsonNode node, String field, int length)
      throws SafetensorsException {
    String expected = length < 0 ? "an array of non-negative integers" : "an array of " + length
        + " non-negative integers";
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw SafetensorsException.of(file, name, field + " " + node + " is not " + expected);
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw SafetensorsException.of(file, name, field + " " + node + " is not " + expected);
      }
      out[i] = v.asLong();
    }
    return out;
  }

  private static void checkOverlaps(Path file, Iterable<TensorInfo> tensors, long dataStart)
      throws SafetensorsException {
    List<TensorInfo> sorted = new ArrayList<>();
    for (TensorInfo t : tensors) {
      if (t.byteLength() > 0) { // an empty tensor occupies no bytes and overlaps nothing
        sorted.add(t);
      }
    }
    sorted.sort(Comparator.comparingLong(TensorInfo::offset));
    for (int i = 1; i < sorted.size(); i++) {
      TensorInfo a = sorted.get(i - 1);
      TensorInfo b = sorted.get(i);
      if (a.offset() + a.byteLength() > b.offset()) {
        throw SafetensorsException.of(file, b.name(), "data_offsets " + range(b, dataStart)
            + " overlap those of tensor '" + a.name() + "' " + range(a, dataStart));
      }
    }
  }

  private static String range(TensorInfo t, long dataStart) {
    long begin = t.offset() - dataStart;
    return "[" + begin + ", " + (begin + t.byteLength()) + "]";
  }
}
