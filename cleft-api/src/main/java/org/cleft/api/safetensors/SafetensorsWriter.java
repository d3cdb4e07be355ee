package org.cleft.api.safetensors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes safetensors files that the HuggingFace library, transformers and peft read unchanged.
 *
 * <p>Layout: the header lists {@code __metadata__} first, then the tensors sorted by name; it is
 * padded with spaces so the data section starts on an 8-byte boundary, as the HuggingFace library
 * does. Tensor data is laid out by element size (largest first), then by name, which keeps every
 * tensor aligned to its element size. Each file is written to a temporary file in the same
 * directory, forced to disk and renamed over the target with {@code ATOMIC_MOVE}: readers see the
 * old file or the new one, never a partial one, and a failed write leaves no temporary file.
 */
public final class SafetensorsWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SafetensorsWriter.class);

  private SafetensorsWriter() {}

  /** Writes the content of one file to an open channel. */
  @FunctionalInterface
  interface ChannelWriter {
    void write(FileChannel channel) throws IOException;
  }

  /**
   * Writes {@code tensors} and {@code metadata} to {@code file}, atomically.
   *
   * @param file the target; replaced if it exists; its directory is created if missing
   * @param tensors tensors by name (not {@code __metadata__}); each under 2 GiB
   * @param metadata the {@code __metadata__} string map (for example {@code format=pt}); null or empty for none
   * @throws IOException if writing fails; the target is then left as it was
   * @throws IllegalArgumentException if a name is empty or reserved
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    Objects.requireNonNull(file, "file");
    List<Map.Entry<String, Tensor>> layout = layout(tensors);
    byte[] header = header(layout, metadata);
    atomically(file, channel -> {
      writeFully(channel, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
      writeFully(channel, ByteBuffer.wrap(header));
      for (Map.Entry<String, Tensor> e : layout) {
        writeFully(channel, e.getValue().data());
      }
    });
  }

  /**
   * Writes {@code tensors} as shards {@code <prefix>-00001-of-0000N.safetensors} plus the index
   * {@code <prefix>.safetensors.index.json} that HuggingFace transformers reads, filling each shard
   * in name order up to {@code maxShardBytes} of tensor data (a tensor larger than that gets a shard
   * of its own). Every shard carries {@code metadata}; the index's {@code metadata} holds it too,
   * plus {@code total_size} (bytes of tensor data). The index is written last, so it never names a
   * shard that is not yet complete. Shards of an earlier write with more shards are not removed.
   *
   * @param dir the directory to write into (created if missing)
   * @param prefix the file name prefix, usually {@code "model"}
   * @param tensors tensors by name
   * @param metadata the metadata string map; null or empty for none
   * @param maxShardBytes most bytes of tensor data per shard, positive
   * @return the index file
   * @throws IOException if writing fails
   */
  public static Path writeSharded(Path dir, String prefix, Map<String, Tensor> tensors, Map<String, String> metadata,
      long maxShardBytes) throws IOException {
    if (prefix == null || prefix.isEmpty() || prefix.contains("/") || prefix.contains("\\")) {
      throw new IllegalArgumentException("shard prefix must be a plain file name, got " + prefix);
    }
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    }
    List<Map<String, Tensor>> shards = plan(new TreeMap<>(tensors), maxShardBytes);
    Map<String, String> weightMap = new TreeMap<>();
    long total = 0;
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("%s-%05d-of-%05d.safetensors", prefix, i + 1, shards.size());
      write(dir.resolve(name), shards.get(i), metadata);
      for (Map.Entry<String, Tensor> e : shards.get(i).entrySet()) {
        weightMap.put(e.getKey(), name);
        total += e.getValue().byteLength();
      }
    }
    Path index = dir.resolve(prefix + ".safetensors.index.json");
    byte[] json = indexJson(metadata, total, weightMap);
    atomically(index, channel -> writeFully(channel, ByteBuffer.wrap(json)));
    return index;
  }

  private static List<Map<String, Tensor>> plan(TreeMap<String, Tensor> sorted, long maxShardBytes) {
    List<Map<String, Tensor>> shards = new ArrayList<>();
    Map<String, Tensor> current = new LinkedHashMap<>();
    long bytes = 0;
    for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
      long size = e.getValue().byteLength();
      if (!current.isEmpty() && bytes + size > maxShardBytes) {
        shards.add(current);
        current = new LinkedHashMap<>();
        bytes = 0;
      }
      current.put(e.getKey(), e.getValue());
      bytes += size;
    }
    if (!current.isEmpty() || shards.isEmpty()) {
      shards.add(current);
    }
    return shards;
  }

  private static byte[] indexJson(Map<String, String> metadata, long total, Map<String, String> weightMap)
      throws IOException {
    ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
    ObjectNode meta = root.putObject("metadata");
    if (metadata != null) {
      new TreeMap<>(metadata).forEach(meta::put);
    }
    meta.put("total_size", total);
    ObjectNode map = root.putObject("weight_map");
    weightMap.forEach(map::put);
    return SafetensorsHeader.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }

  /** The tensors in data order: element size descending, then name. */
  private static List<Map.Entry<String, Tensor>> layout(Map<String, Tensor> tensors) {
    Objects.requireNonNull(tensors, "tensors");
    List<Map.Entry<String, Tensor>> out = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String name = e.getKey();
      if (name == null || name.isEmpty() || SafetensorsHeader.METADATA_KEY.equals(name)) {
        throw new IllegalArgumentException("invalid tensor name: " + (name == null ? "null" : '"' + name + '"'));
      }
      out.add(Map.entry(name, Objects.requireNonNull(e.getValue(), () -> "tensor " + name + " is null")));
    }
    out.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().byteSize())
        .thenComparing(Map.Entry::getKey));
    return out;
  }

  /** The header JSON, padded with spaces to a multiple of 8 bytes. */
  private static byte[] header(List<Map.Entry<String, Tensor>> layout, Map<String, String> metadata)
      throws IOException {
    Map<String, long[]> offsets = new TreeMap<>();
    long at = 0;
    for (Map.Entry<String, Tensor> e : layout) {
      offsets.put(e.getKey(), new long[] {at, at + e.getValue().byteLength()});
      at += e.getValue().byteLength();
    }
    Map<String, Tensor> byName = new TreeMap<>();
    layout.forEach(e -> byName.put(e.getKey(), e.getValue()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = SafetensorsHeader.JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      if (metadata != null && !metadata.isEmpty()) {
        g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
        for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
          g.writeStringField(m.getKey(), Objects.requireNonNull(m.getValue(), "metadata value of " + m.getKey()));
        }
        g.writeEndObject();
      }
      for (Map.Entry<String, Tensor> e : byName.entrySet()) {
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("dtype", e.getValue().dtype().headerName());
        g.writeFieldName("shape");
        long[] shape = e.getValue().shape();
        g.writeArray(shape, 0, shape.length);
        g.writeFieldName("data_offsets");
        g.writeArray(offsets.get(e.getKey()), 0, 2);
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    byte[] bytes = out.toByteArray();
    int pad = (8 - bytes.length % 8) % 8;
    byte[] padded = new byte[bytes.length + pad];
    System.arraycopy(bytes, 0, padded, 0, bytes.length);
    Arrays.fill(padded, bytes.length, padded.length, (byte) ' ');
    return padded;
  }

  /**
   * Runs {@code body} on a fresh temporary file next to {@code target}, forces it to disk and
   * renames it over {@code target}; on any failure deletes the temporary file and leaves
   * {@code target} untouched.
   */
  static void atomically(Path target, ChannelWriter body) throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        body.write(channel);
        channel.force(true);
      }
      move(tmp, file);
      moved = true;
    } finally {
      if (!moved) {
        deleteQuietly(tmp);
      }
    }
  }

  private static void move(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      LOG.warn("{}: the file system cannot rename atomically; replacing the file non-atomically", file);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      LOG.warn("cannot delete the temporary file {}: {}", tmp, e.toString());
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
