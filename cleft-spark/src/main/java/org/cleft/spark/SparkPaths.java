package org.cleft.spark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The two spellings of a file's path in Spark, and the local file behind them. Spark's file sources write a path
 * column as Hadoop prints a path ({@code file:/scans/a b#1.png}, not escaped, so not a URI), while a Dataset's
 * {@code inputFiles()} gives URIs ({@code file:///scans/a%20b%231.png}). Results keep the first, so that an
 * output's paths match the paths of {@code binaryFile}, however they were listed.
 */
final class SparkPaths {
  private static final Pattern OTHER_FILE_SYSTEM = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*");

  private SparkPaths() {}

  /** {@return a URI from {@code inputFiles()} as a {@code path} column spells it} */
  static String column(String uri) {
    URI u = URI.create(uri);
    return u.getScheme() + ":" + (u.getRawAuthority() == null ? "" : "//" + u.getAuthority()) + u.getPath();
  }

  /** {@return whether a {@code path} value is on the local file system: a plain path, or {@code file:}} */
  static boolean isLocal(String path) {
    return path.startsWith("file:") || !OTHER_FILE_SYSTEM.matcher(path).matches();
  }

  /**
   * The local file of a {@code path} value: a plain path, or a {@code file:} path as Hadoop prints it (an escaped
   * URI such as {@code file:///a%20b.png} is taken too, when no file has the name as written).
   *
   * @param path the value
   * @return the file
   * @throws IllegalArgumentException when the path is on another file system (HDFS, S3) or host
   */
  static Path local(String path) {
    if (!path.startsWith("file:")) {
      if (OTHER_FILE_SYSTEM.matcher(path).matches()) {
        throw new IllegalArgumentException("'" + path + "' is not on a file system the executors mount: "
            + "cleft-spark reads images through the local file system (an NFS or PACS export share mounted on "
            + "every executor)");
      }
      return Path.of(path);
    }
    String rest = path.substring("file:".length());
    if (rest.startsWith("//")) { // file://host/a: only an empty host or localhost is this machine
      int slash = rest.indexOf('/', 2);
      String host = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
      if (!host.isEmpty() && !host.equals("localhost")) {
        throw new IllegalArgumentException("'" + path + "' names the host " + host + ": cleft-spark reads images "
            + "through the executors' local file system");
      }
      rest = slash < 0 ? "/" : rest.substring(slash);
    }
    Path written = Path.of(rest);
    if (rest.indexOf('%') >= 0 && !Files.exists(written)) {
      try {
        Path decoded = Path.of(URI.create("file://" + rest));
        if (Files.exists(decoded)) {
          return decoded;
        }
      } catch (IllegalArgumentException e) {
        // not an escaped URI: the name as written, which the decoder reports missing
      }
    }
    return written;
  }
}
