package org.cleft.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A training run's output folder ({@link TrainingConfig#outputDir()}): {@code metrics.jsonl}, {@code checkpoint-NNNNNN/},
 * {@code best/}, {@code final/} and unfinished {@code .NAME.partial} folders. Trainers refuse to start a new run in a
 * folder that holds one, so that a finished run is never silently replaced; resuming continues it, and
 * {@link #clear(Path)} is the explicit way to start over (the CLI's {@code --overwrite}).
 */
public final class RunFolder {
  /** The metrics log's file name. */
  public static final String METRICS = "metrics.jsonl";

  private RunFolder() {}

  /**
   * {@return what of an earlier run the folder holds (file and folder names), empty when none}
   *
   * @param dir the output folder (may not exist)
   * @throws IOException when the folder cannot be listed
   */
  public static List<String> runFiles(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(RunFolder::isRunFile).sorted().forEach(out::add);
    }
    return out;
  }

  /**
   * Deletes what an earlier run left in the folder (see {@link #runFiles}); other files (an assembled
   * {@code base/}, the user's own) stay.
   *
   * @param dir the output folder
   * @throws IOException when something cannot be deleted
   */
  public static void clear(Path dir) throws IOException {
    for (String name : runFiles(dir)) {
      deleteTree(dir.resolve(name));
    }
  }

  /**
   * Deletes a file or folder tree if it exists.
   *
   * @param path the file or folder
   * @throws IOException when something cannot be deleted
   */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  private static boolean isRunFile(String name) {
    return name.equals(METRICS) || name.equals("final") || name.equals("best") || name.startsWith("checkpoint-")
        || name.startsWith(".") && name.endsWith(".partial");
  }
}
