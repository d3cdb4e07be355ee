package org.cleft.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cleft.api.Capability;
import org.cleft.api.RunFolder;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.spi.BackendProvider;
import org.cleft.api.spi.BackendResolver;
import org.cleft.examples.cli.ReportJson;
import org.cleft.onnx.export.OnnxExporter;

/**
 * {@code cleft bench}: training and inference throughput of every installed backend at the named shapes of
 * {@code ../shared/bench/README.md} or at a user's checkpoint, each measurement in a fresh JVM ({@link BenchWorker}),
 * the backends alternating run by run (A B A B), with the PyTorch anchor in the same rotation when it is given.
 * Reports medians, the spread of the runs, peak resident memory, thread settings and the load average.
 */
public final class ModelBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PYTORCH = "pytorch";

  /**
   * What to measure.
   *
   * @param shapes the shapes
   * @param checkpoint a user checkpoint instead of the shapes' random ones (null for none)
   * @param measures {@code train}, {@code image}, {@code text}
   * @param backends backend names to include (empty: every installed one)
   * @param warmup calls (steps) before timing, per run
   * @param iterations timed calls per run
   * @param repeats runs per backend and measure, alternating
   * @param threads threads per backend (0: the engines' defaults)
   * @param anchor the PyTorch anchor script ({@code torch_bench.py}), or null
   * @param python the Python interpreter for the anchor
   * @param keep a folder for the shapes' checkpoints (kept), or null for a temporary one
   */
  public record Settings(List<BenchShape> shapes, Path checkpoint, List<String> measures, List<String> backends,
      int warmup, int iterations, int repeats, int threads, Path anchor, String python, Path keep) {}

  /** One row of the table: a shape, a measure and a backend, over all runs. */
  private static final class Row {
    final String shape;
    final String measure;
    final String backend;
    int batch;
    final List<Double> times = new ArrayList<>();
    final List<Double> runMedians = new ArrayList<>();
    long peakRss = -1;
    String failure;

    Row(String shape, String measure, String backend) {
      this.shape = shape;
      this.measure = measure;
      this.backend = backend;
    }

    double median() {
      return BenchStats.median(times);
    }
  }

  private final Settings settings;
  private final PrintStream out;
  private final PrintStream log;

  /**
   * A benchmark.
   *
   * @param settings what to measure
   * @param out where the table goes
   * @param log where progress goes
   */
  public ModelBench(Settings settings, PrintStream out, PrintStream log) {
    this.settings = settings;
    this.out = out;
    this.log = log;
  }

  /**
   * Runs every measurement and prints the table.
   *
   * @param json where to write the results as JSON, or null
   * @return 0 when every measurement ran, 1 when one failed (its row says why)
   * @throws IOException when the checkpoints cannot be written
   * @throws CheckpointException when a checkpoint cannot be assembled or read
   * @throws InterruptedException when interrupted while a worker runs
   */
  public int run(Path json) throws IOException, CheckpointException, InterruptedException {
    String loadBefore = loadAverage();
    Path work = settings.keep() != null ? Files.createDirectories(settings.keep())
        : Files.createTempDirectory("cleft-bench");
    List<Row> rows = new ArrayList<>();
    try {
      Map<BenchShape, Path> checkpoints = checkpoints(work);
      List<Job> jobs = jobs(checkpoints, rows);
      for (int rep = 1; rep <= settings.repeats(); rep++) {
        for (Job job : jobs) {
          log.printf(Locale.ROOT, "bench    run %d/%d: %s %s on %s%n", rep, settings.repeats(), job.row.shape,
              job.row.measure, job.row.backend);
          job.run();
        }
      }
    } finally {
      if (settings.keep() == null) {
        RunFolder.deleteTree(work);
      }
    }
    String loadAfter = loadAverage();
    print(rows, loadBefore, loadAfter);
    if (json != null) {
      writeJson(json, rows, loadBefore, loadAfter);
    }
    return rows.stream().anyMatch(r -> r.failure != null) ? 1 : 0;
  }

  private Map<BenchShape, Path> checkpoints(Path work) throws IOException, CheckpointException {
    Map<BenchShape, Path> out = new LinkedHashMap<>();
    if (settings.checkpoint() != null) {
      CleftCheckpoint c = CleftCheckpoint.open(settings.checkpoint());
      out.put(BenchShape.of(c), settings.checkpoint());
      return out;
    }
    for (BenchShape s : settings.shapes()) {
      Path dir = work.resolve(s.name());
      if (!Files.exists(dir.resolve(CleftCheckpoint.MANIFEST))) {
        log.printf(Locale.ROOT, "bench    writing a random %s checkpoint: %s%n", s.name(), dir);
        Path scratch = Files.createTempDirectory("cleft-bench-scratch");
        try {
          s.writeCheckpoint(dir, scratch);
        } finally {
          RunFolder.deleteTree(scratch);
        }
      }
      if (!Files.exists(dir.resolve("onnx"))) {
        OnnxExporter.builder().build().export(dir, dir.resolve("onnx"));
      }
      out.put(s, dir);
    }
    return out;
  }

  /** The jobs of one rotation, in the order they alternate: per shape and measure, each backend then the anchor. */
  private List<Job> jobs(Map<BenchShape, Path> checkpoints, List<Row> rows) {
    List<BackendProvider> providers = BackendResolver.fromServiceLoader().providers().stream()
        .filter(p -> p.unavailableReason().isEmpty())
        .filter(p -> settings.backends().isEmpty() || settings.backends().contains(p.name())).toList();
    List<Job> jobs = new ArrayList<>();
    checkpoints.forEach((shape, dir) -> {
      for (String measure : settings.measures()) {
        Capability cap = measure.equals("train") ? Capability.TRAINING : Capability.INFERENCE;
        for (BackendProvider p : providers) {
          if (p.capabilities().contains(cap)) {
            Row row = new Row(shape.name(), measure, p.name());
            rows.add(row);
            jobs.add(new Job(row, shape, dir));
          }
        }
        String mode = shape.anchorModes().get(List.of("train", "image", "text").indexOf(measure));
        if (settings.anchor() != null && mode != null) {
          Row row = new Row(shape.name(), measure, PYTORCH);
          rows.add(row);
          jobs.add(new Job(row, shape, dir));
        }
      }
    });
    return jobs;
  }

  /** One measurement, run once per rotation. */
  private final class Job {
    final Row row;
    final BenchShape shape;
    final Path checkpoint;

    Job(Row row, BenchShape shape, Path checkpoint) {
      this.row = row;
      this.shape = shape;
      this.checkpoint = checkpoint;
    }

    void run() throws IOException, InterruptedException {
      if (row.failure != null) {
        return;
      }
      int batch = row.measure.equals("train") ? shape.trainBatch() : shape.inferBatch();
      List<String> command = row.backend.equals(PYTORCH) ? anchorCommand() : workerCommand(batch);
      ProcessBuilder pb = new ProcessBuilder(command);
      threadEnvironment(pb.environment());
      Path errors = Files.createTempFile("cleft-bench-worker", ".log");
      pb.redirectError(errors.toFile());
      try {
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
          p.destroyForcibly();
        }
        JsonNode result = parse(stdout);
        if (p.exitValue() != 0 || result == null) {
          row.failure = "exit " + p.exitValue() + ": " + lastLine(Files.readString(errors));
          log.println("bench    " + row.backend + " failed: " + row.failure);
          return;
        }
        List<Double> times = new ArrayList<>();
        result.path("times").forEach(t -> times.add(t.asDouble()));
        row.batch = result.path("batch").asInt(batch);
        row.times.addAll(times);
        row.runMedians.add(BenchStats.median(times));
        row.peakRss = Math.max(row.peakRss, result.path("peak_rss_bytes").asLong(-1));
      } finally {
        Files.deleteIfExists(errors);
      }
    }

    private List<String> workerCommand(int batch) {
      List<String> c = new ArrayList<>();
      c.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString()));
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agentlib")) {
          c.add(arg);
        }
      }
      if (settings.threads() > 0) {
        c.add("-Dai.djl.pytorch.num_threads=" + settings.threads());
        c.add("-Dai.djl.pytorch.num_interop_threads=1");
      }
      c.add("-cp");
      c.add(System.getProperty("java.class.path"));
      c.add(BenchWorker.class.getName());
      c.addAll(List.of(row.backend, row.measure, checkpoint.toString(), String.valueOf(batch),
          String.valueOf(shape.tokens()), shape.text().name(), String.valueOf(shape.weightDecay()),
          String.valueOf(settings.warmup()), String.valueOf(settings.iterations()),
          String.valueOf(settings.threads())));
      return c;
    }

    private List<String> anchorCommand() {
      String mode = shape.anchorModes().get(List.of("train", "image", "text").indexOf(row.measure));
      return List.of(settings.python(), settings.anchor().toString(), mode, String.valueOf(settings.warmup()),
          String.valueOf(settings.iterations()));
    }
  }

  private void threadEnvironment(Map<String, String> env) {
    env.putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    if (settings.threads() > 0) {
      String n = String.valueOf(settings.threads());
      env.put("OMP_NUM_THREADS", n);
      env.put("MKL_NUM_THREADS", n);
      env.put("TF_NUM_INTRAOP_THREADS", n);
      env.put("TF_NUM_INTEROP_THREADS", "1");
    }
  }

  /** The result line: the worker's {@code BENCH {json}}, or the anchor's one JSON line. */
  private static JsonNode parse(String stdout) throws IOException {
    for (String line : stdout.split("\n")) {
      String l = line.strip();
      if (l.startsWith(BenchWorker.PREFIX)) {
        return JSON.readTree(l.substring(BenchWorker.PREFIX.length()));
      }
      if (l.startsWith("{") && l.contains("\"times\"")) {
        return JSON.readTree(l);
      }
    }
    return null;
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank() && !lines[i].startsWith("\tat ")) {
        return lines[i].strip();
      }
    }
    return "no error output";
  }

  private void print(List<Row> rows, String loadBefore, String loadAfter) {
    out.printf(Locale.ROOT, "cleft bench: %d cores, %s threads per backend, warm-up %d, %d timed per run, %d runs "
        + "alternating; Java %s%n", Runtime.getRuntime().availableProcessors(),
        settings.threads() > 0 ? String.valueOf(settings.threads()) : "default", settings.warmup(),
        settings.iterations(), settings.repeats(), System.getProperty("java.version"));
    out.printf(Locale.ROOT, "load average before: %s; after: %s%n", loadBefore, loadAfter);
    out.printf(Locale.ROOT, "%-10s %-7s %-8s %5s %10s %10s %19s %9s %8s%n", "shape", "measure", "backend", "batch",
        "median ms", "per s", "run medians ms", "peak MiB", "vs torch");
    for (Row r : rows) {
      if (r.failure != null) {
        out.printf(Locale.ROOT, "%-10s %-7s %-8s failed: %s%n", r.shape, r.measure, r.backend, r.failure);
        continue;
      }
      double med = r.median();
      Double ratio = ratio(rows, r);
      out.printf(Locale.ROOT, "%-10s %-7s %-8s %5d %10.1f %10.1f %19s %9s %8s%n", r.shape, r.measure, r.backend,
          r.batch, med * 1e3, r.batch / med, String.format(Locale.ROOT, "%.1f-%.1f",
              BenchStats.min(r.runMedians) * 1e3, BenchStats.max(r.runMedians) * 1e3),
          r.peakRss > 0 ? String.valueOf(r.peakRss >> 20) : "-",
          ratio == null ? "-" : String.format(Locale.ROOT, "%.2fx", ratio));
    }
    out.println("per s: images (train, image) or texts (text) per second; vs torch: per s over the PyTorch anchor's");
  }

  /** {@return this row's throughput over the anchor's for the same shape and measure, or null} */
  private static Double ratio(List<Row> rows, Row r) {
    if (r.backend.equals(PYTORCH)) {
      return null;
    }
    for (Row a : rows) {
      if (a.backend.equals(PYTORCH) && a.shape.equals(r.shape) && a.measure.equals(r.measure) && a.failure == null
          && !a.times.isEmpty()) {
        return (r.batch / r.median()) / (a.batch / a.median());
      }
    }
    return null;
  }

  private void writeJson(Path json, List<Row> rows, String loadBefore, String loadAfter) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.put("java", System.getProperty("java.version"));
    machine.put("load_average_before", loadBefore);
    machine.put("load_average_after", loadAfter);
    doc.put("machine", machine);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("threads", settings.threads());
    s.put("warmup", settings.warmup());
    s.put("iterations", settings.iterations());
    s.put("repeats", settings.repeats());
    doc.put("settings", s);
    List<Map<String, Object>> results = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shape", r.shape);
      m.put("measure", r.measure);
      m.put("backend", r.backend);
      if (r.failure != null) {
        m.put("failure", r.failure);
      } else {
        m.put("batch", r.batch);
        m.put("median_s", r.median());
        m.put("per_s", r.batch / r.median());
        m.put("run_medians_s", r.runMedians);
        m.put("peak_rss_bytes", r.peakRss);
        m.put("vs_pytorch", ratio(rows, r));
      }
      results.add(m);
    }
    doc.put("results", results);
    Files.writeString(json, ReportJson.MAPPER.writeValueAsString(doc));
  }

  /** {@return the 1, 5 and 15 minute load averages, or "unknown"} */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return l < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", l);
    }
  }
}
