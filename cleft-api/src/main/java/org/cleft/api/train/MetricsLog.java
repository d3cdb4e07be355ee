package org.cleft.api.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per line, appended and flushed as it happens, so a crashed
 * run keeps every line it wrote. Step lines have {@code type: "step"}, evaluations {@code type: "eval"}.
 */
public final class MetricsLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  /**
   * A log appending to {@code file} (created with its folders on the first line).
   *
   * @param file the {@code metrics.jsonl} file
   */
  public MetricsLog(Path file) {
    this.file = file;
  }

  /** {@return the file} */
  public Path file() {
    return file;
  }

  /**
   * Appends a step line.
   *
   * @param step the 1-based step
   * @param loss its loss
   * @param lr its learning rate
   * @param imagesPerSecond its throughput
   * @param seconds time since the run started
   */
  public void step(long step, double loss, double lr, double imagesPerSecond, double seconds) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "step");
    line.put("step", step);
    line.put("loss", loss);
    line.put("lr", lr);
    line.put("images_per_second", imagesPerSecond);
    line.put("seconds", seconds);
    append(line);
  }

  /**
   * Appends an evaluation line.
   *
   * @param step the step evaluated after
   * @param metrics the metrics by name
   */
  public void eval(long step, Map<String, Double> metrics) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "eval");
    line.put("step", step);
    line.putAll(metrics);
    append(line);
  }

  /**
   * Appends the line of a new best evaluation (its checkpoint is kept in {@code best/}).
   *
   * @param step the step
   * @param metric the selection metric
   * @param value its value
   */
  public void best(long step, String metric, double value) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "best");
    line.put("step", step);
    line.put(metric, value);
    append(line);
  }

  /**
   * Drops the lines of steps after {@code step} (written by the run after the checkpoint it resumes from), so
   * that a resumed run logs each step once. The file is rewritten atomically.
   *
   * @param step the step of the checkpoint a run resumes from
   * @throws IOException when the file cannot be read or rewritten
   */
  public void keepUpTo(long step) throws IOException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        if (JSON.readTree(line).path("step").asLong(0) <= step) {
          kept.add(line);
        }
      } catch (IOException e) {
        // a line cut short by a crash: dropped
      }
    }
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".metrics", ".tmp");
    try {
      Files.write(tmp, kept, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void append(Map<String, Object> line) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot append metrics: " + e.getMessage(), e);
    }
  }
}
