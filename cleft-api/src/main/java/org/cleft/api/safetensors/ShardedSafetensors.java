package org.cleft.api.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A checkpoint split over several safetensors files, described by a HuggingFace index
 * ({@code model.safetensors.index.json}: {@code {"metadata": {...}, "weight_map": {tensor: shard}}}).
 * Shard paths are relative to the index's directory. Each shard is opened on first use and kept
 * open until {@link #close()}; {@link #open(Path)} only checks that every shard exists.
 * {@link #metadata()} is the index's {@code metadata} with scalar values as text (HuggingFace writes
 * {@code total_size} as a number), not the {@code __metadata__} of the shards.
 */
public final class ShardedSafetensors implements TensorSource {
  private final Path index;
  private final Map<String, String> metadata;
  private final Map<String, Path> weightMap;
  private final List<String> names;
  private final Map<Path, SafetensorsFile> opened = new HashMap<>();
  private boolean closed;

  private ShardedSafetensors(Path index, Map<String, String> metadata, Map<String, Path> weightMap) {
    this.index = index;
    this.metadata = Collections.unmodifiableMap(metadata);
    this.weightMap = Collections.unmodifiableMap(weightMap);
    this.names = List.copyOf(weightMap.keySet());
  }

  /**
   * Reads the index and checks that every shard it names exists within the index's directory.
   *
   * @param indexJson a {@code *.safetensors.index.json} file
   * @return the sharded source; close it when done
   * @throws SafetensorsException if the index is missing or malformed or a shard is missing (the
   *     message names the index, the shard and a tensor it should hold)
   */
  public static ShardedSafetensors open(Path indexJson) throws SafetensorsException {
    Objects.requireNonNull(indexJson, "indexJson");
    JsonNode root;
    try {
      root = SafetensorsHeader.JSON.readTree(Files.readAllBytes(indexJson));
    } catch (NoSuchFileException e) {
      throw new SafetensorsException(indexJson + ": no such file", e);
    } catch (IOException e) {
      throw new SafetensorsException(indexJson + ": cannot read the shard index: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("weight_map").isObject()) {
      throw SafetensorsException.of(indexJson, "not a shard index: expected a JSON object with a \"weight_map\" object");
    }
    Path dir = indexJson.toAbsolutePath().getParent().normalize();
    Map<String, Path> weightMap = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.get("weight_map").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      weightMap.put(e.getKey(), shardPath(indexJson, dir, e.getKey(), e.getValue()));
    }
    Map<Path, String> firstTensor = new LinkedHashMap<>();
    weightMap.forEach((tensor, shard) -> firstTensor.putIfAbsent(shard, tensor));
    for (Map.Entry<Path, String> e : firstTensor.entrySet()) {
      if (!Files.isRegularFile(e.getKey())) {
        throw SafetensorsException.of(indexJson, e.getValue(), "its shard " + e.getKey() + " does not exist");
      }
    }
    return new ShardedSafetensors(indexJson, metadata(indexJson, root.get("metadata")), weightMap);
  }

  private static Path shardPath(Path index, Path dir, String tensor, JsonNode shard) throws SafetensorsException {
    if (!shard.isTextual() || shard.asText().isEmpty()) {
      throw SafetensorsException.of(index, tensor, "weight_map value " + shard + " is not a file name");
    }
    Path path = dir.resolve(shard.asText()).normalize();
    if (!path.startsWith(dir)) {
      throw SafetensorsException.of(index, tensor, "shard " + shard + " lies outside the index's directory");
    }
    return path;
  }

  /** The index's {@code metadata}, scalars as text (HuggingFace writes {@code total_size} as a number). */
  private static Map<String, String> metadata(Path index, JsonNode node) throws SafetensorsException {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw SafetensorsException.of(index, "\"metadata\" is not a JSON object");
    }
    node.fields().forEachRemaining(e -> out.put(e.getKey(),
        e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
    return out;
  }

  /** {@return the distinct shard files, in the order the index first names them} */
  public List<Path> shards() {
    return List.copyOf(new LinkedHashSet<>(weightMap.values()));
  }

  @Override
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public List<String> names() {
    return names;
  }

  @Override
  public boolean contains(String name) {
    return weightMap.containsKey(name);
  }

  @Override
  public TensorInfo info(String name) throws SafetensorsException {
    return shardOf(name).info(name);
  }

  @Override
  public float[] floats(String name) throws SafetensorsException {
    return shardOf(name).floats(name);
  }

  @Override
  public float[] floats(String name, long fromElement, int count) throws SafetensorsException {
    return shardOf(name).floats(name, fromElement, count);
  }

  @Override
  public void read(String name, DType to, long fromElement, ByteBuffer dst) throws SafetensorsException {
    shardOf(name).read(name, to, fromElement, dst);
  }

  @Override
  public long[] longs(String name) throws SafetensorsException {
    return shardOf(name).longs(name);
  }

  @Override
  public ByteBuffer raw(String name) throws SafetensorsException {
    return shardOf(name).raw(name);
  }

  @Override
  public ByteBuffer raw(String name, long byteOffset, int byteLength) throws SafetensorsException {
    return shardOf(name).raw(name, byteOffset, byteLength);
  }

  @Override
  public Path path() {
    return index;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      for (SafetensorsFile f : new ArrayList<>(opened.values())) {
        f.close();
      }
      opened.clear();
    }
  }

  @Override
  public String toString() {
    return "ShardedSafetensors[" + index + ", " + names.size() + " tensors in " + shards().size() + " shards]";
  }

  /** The open shard holding {@code name}, opened on first use; checks the shard really holds it. */
  private synchronized SafetensorsFile shardOf(String name) throws SafetensorsException {
    if (closed) {
      throw new IllegalStateException(index + " is closed");
    }
    Path shard = weightMap.get(name);
    if (shard == null) {
      throw SafetensorsException.of(index, name, "no such tensor in the weight map (" + names.size() + " tensors in "
          + shards().size() + " shards)");
    }
    SafetensorsFile file = opened.get(shard);
    if (file == null) {
      file = SafetensorsFile.open(shard);
      opened.put(shard, file);
    }
    if (!file.contains(name)) {
      throw SafetensorsException.of(index, name, "the weight map names shard " + shard + ", which lacks it");
    }
    return file;
  }
}
