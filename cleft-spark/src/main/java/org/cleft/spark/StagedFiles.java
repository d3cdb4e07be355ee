package org.cleft.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;

/**
 * One chunk's files as local paths: a local one as it is, one on another Hadoop file system (HDFS, S3 through
 * {@code s3a:}, any the executors' Hadoop configuration knows) copied into a temporary folder for the decoders,
 * which read local files, and deleted on {@link #close()}. A decoding error that names a copy is made to name the
 * original instead.
 */
final class StagedFiles implements AutoCloseable {
  private final Supplier<Configuration> hadoop;
  private final Map<String, String> copies = new LinkedHashMap<>(); // the copy's path -> the original's
  private Path dir;

  /** @param hadoop the Hadoop configuration for other file systems (null: local files only) */
  StagedFiles(Supplier<Configuration> hadoop) {
    this.hadoop = hadoop;
  }

  /**
   * {@return the local file for a {@code path} value, copied here first when it is on another file system}
   *
   * @param path the value
   * @throws IllegalArgumentException when the path is on a file system this configuration does not know
   * @throws UncheckedIOException when the file cannot be read or copied
   */
  Path local(String path) {
    if (SparkPaths.isLocal(path) || hadoop == null) {
      return SparkPaths.local(path);
    }
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("cleft-spark-");
      }
      Path copy = dir.resolve(copies.size() + "-" + HadoopFiles.name(path));
      HadoopFiles.copy(path, hadoop.get(), copy.toFile());
      copies.put(copy.toString(), path);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** {@return an error message naming the original of every copy it names} */
  String named(String message) {
    String out = message;
    for (Map.Entry<String, String> e : copies.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Deletes the copies. */
  @Override
  public void close() {
    if (dir == null) {
      return;
    }
    List<Path> left = new ArrayList<>();
    for (String copy : copies.keySet()) {
      try {
        Files.deleteIfExists(Path.of(copy));
      } catch (IOException e) {
        left.add(Path.of(copy));
      }
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      left.add(dir);
    }
    dir = null;
    copies.clear();
    if (!left.isEmpty()) {
      throw new UncheckedIOException(new IOException("cleft-spark: cannot delete the staged copies " + left));
    }
  }

}
