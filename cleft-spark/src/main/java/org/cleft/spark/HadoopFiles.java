package org.cleft.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Files on a Hadoop file system (HDFS, S3 through {@code s3a:}): what {@link StagedFiles} needs of them. */
final class HadoopFiles {
  private HadoopFiles() {}

  /** {@return the file name of a path, {@code "file"} when it has none} */
  static String name(String path) {
    String name = new Path(path).getName();
    return name.isEmpty() ? "file" : name;
  }

  /**
   * Copies a file to a local one.
   *
   * @param path the file, as a {@code path} column spells it ({@code hdfs://nn/scans/a b.dcm})
   * @param conf the Hadoop configuration that knows its file system
   * @param target the local copy, replaced when it exists
   * @throws IOException when it cannot be read or written
   */
  static void copy(String path, Configuration conf, File target) throws IOException {
    Path remote = new Path(path);
    FileSystem fs = remote.getFileSystem(conf); // Hadoop's cache keeps it: not closed here
    try (InputStream in = fs.open(remote)) {
      Files.copy(in, target.toPath(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * {@return a Hadoop configuration of these entries, made on the first call and kept}
   *
   * @param entries the driver's configuration, as {@link #entries(Configuration)} gave it
   */
  static Supplier<Configuration> lazyConfiguration(Map<String, String> entries) {
    return new Supplier<>() {
      private Configuration conf;

      @Override
      public Configuration get() {
        if (conf == null) {
          conf = new Configuration(false);
          entries.forEach(conf::set);
        }
        return conf;
      }
    };
  }

  /** {@return the entries of a Hadoop configuration, to broadcast to the executors} */
  static Map<String, String> entries(Configuration conf) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : conf) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }
}
