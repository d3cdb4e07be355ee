package org.cleft.api.safetensors;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Entry point for reading the weights of a HuggingFace model directory. */
public final class Safetensors {
  /** The single-file weights of a HuggingFace model. */
  public static final String MODEL_FILE = "model.safetensors";
  /** The shard index of a sharded HuggingFace model. */
  public static final String MODEL_INDEX = "model.safetensors.index.json";

  private Safetensors() {}

  /**
   * Opens the weights of a model directory: {@code dir/model.safetensors}, else
   * {@code dir/model.safetensors.index.json}, else the directory's only {@code *.safetensors} file,
   * else its only {@code *.safetensors.index.json}. A path to a file opens that file (an index if its
   * name ends in {@code .index.json}).
   *
   * @param dir a model directory (or a weights file)
   * @return the tensors; close them when done
   * @throws SafetensorsException if nothing fits or the weights are malformed; the message lists
   *     what was looked for and what was found
   */
  public static TensorSource openModel(Path dir) throws SafetensorsException {
    Objects.requireNonNull(dir, "dir");
    if (Files.isRegularFile(dir)) {
      return dir.getFileName().toString().endsWith(".index.json") ? ShardedSafetensors.open(dir)
          : SafetensorsFile.open(dir);
    }
    if (!Files.isDirectory(dir)) {
      throw SafetensorsException.of(dir, "no such model directory");
    }
    if (Files.isRegularFile(dir.resolve(MODEL_FILE))) {
      return SafetensorsFile.open(dir.resolve(MODEL_FILE));
    }
    if (Files.isRegularFile(dir.resolve(MODEL_INDEX))) {
      return ShardedSafetensors.open(dir.resolve(MODEL_INDEX));
    }
    List<Path> files = list(dir, "*.safetensors");
    if (files.size() == 1) {
      return SafetensorsFile.open(files.get(0));
    }
    List<Path> indexes = list(dir, "*.safetensors.index.json");
    if (indexes.size() == 1) {
      return ShardedSafetensors.open(indexes.get(0));
    }
    throw SafetensorsException.of(dir, "no model weights: looked for " + MODEL_FILE + ", " + MODEL_INDEX
        + ", a single *.safetensors or a single *.safetensors.index.json; found " + files.size()
        + " *.safetensors " + names(files) + " and " + indexes.size() + " indexes " + names(indexes));
  }

  private static List<Path> list(Path dir, String glob) throws SafetensorsException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      throw new SafetensorsException(dir + ": cannot list the directory: " + e, e);
    }
    out.sort(null);
    return out;
  }

  private static List<String> names(List<Path> paths) {
    return paths.stream().map(p -> p.getFileName().toString()).toList();
  }
}
