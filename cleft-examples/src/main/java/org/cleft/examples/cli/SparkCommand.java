package org.cleft.examples.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cleft.api.Device;
import org.cleft.spark.ResumableOutput;
import org.cleft.spark.SparkInference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cleft spark classify|embed}: a whole image archive on Apache Spark (local mode on this machine). */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = {"Classifies or embeds every image under a folder on Apache Spark, one row per file (path, "
        + "embedding, probabilities, predicted, error), written as Parquet or JSON that a rerun resumes.",
        "On one machine (--master local[N]); docs/spark.md shows the same job on a cluster with spark-submit."},
    subcommands = {SparkCommand.Classify.class, SparkCommand.Embed.class})
public final class SparkCommand implements Runnable {
  @ParentCommand
  CleftCli cli;

  @Spec
  CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public SparkCommand() {}

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "name the task: cleft spark classify ... or cleft spark embed ...");
  }

  /** The options both tasks take. */
  static final class JobOptions {
    @Option(names = "--model", required = true, paramLabel = "CKPT",
        description = "The checkpoint folder (on every executor at the same path).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "DIR_OR_GLOB",
        description = "A folder, read recursively, or a glob such as /archive/*/*.dcm.")
    String input;

    @Option(names = "--glob", paramLabel = "PATTERN",
        description = "Only files whose names match, e.g. '*.{dcm,png}'. Default: every file (one that is not an "
            + "image gets a row with its error).")
    String glob;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Output folder; a rerun skips the paths already there.")
    String out;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
        description = "Spark master. Default: ${DEFAULT-VALUE}.")
    String master;

    @Option(names = "--format", paramLabel = "parquet|json", defaultValue = "parquet",
        description = "Output format. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "onnx",
        description = "Inference backend on the executors. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
        description = "Where the executors run the model: cpu, auto (CUDA device 0 where usable, else the CPU with "
            + "a warning in the executor's log) or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
        description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N",
        description = "ONNX Runtime intra-op threads per task. Default: ONNX Runtime's choice.")
    Integer threads;

    @Option(names = "--rows-per-chunk", paramLabel = "N", defaultValue = "10000",
        description = "Images per appended Spark job: what a killed run can lose. Default: ${DEFAULT-VALUE}.")
    long rowsPerChunk;
  }

  private static int runJob(CleftCli cli, JobOptions o, ResumableOutput.Task task, List<String> classes)
      throws Exception {
    ResumableOutput.Format format = switch (o.format.toLowerCase(Locale.ROOT)) {
      case "parquet" -> ResumableOutput.Format.PARQUET;
      case "json" -> ResumableOutput.Format.JSON;
      default -> throw new IllegalArgumentException("--format must be parquet or json, got '" + o.format + "'");
    };
    Device device;
    try {
      device = Device.parse(o.device);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--device: " + e.getMessage(), e);
    }
    PrintStream out = cli.out();
    long start = System.nanoTime();
    SparkSession.Builder b = SparkSession.builder().master(o.master).appName("cleft spark " + task.name()
        .toLowerCase(Locale.ROOT)).config("spark.ui.enabled", "false");
    if (o.master.startsWith("local")) {
      // one machine: Spark's own RPC stays on the loopback interface
      b = b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
    }
    SparkSession spark = b.getOrCreate();
    try {
      SparkInference.Builder ib = SparkInference.builder(o.model).session(spark).backend(o.backend)
          .device(device).batchSize(o.batchSize);
      if (o.threads != null) {
        ib.intraOpThreads(o.threads);
      }
      if (classes != null && !classes.isEmpty()) {
        ib.classes(classes);
      }
      SparkInference inference = ib.build();
      if (task == ResumableOutput.Task.CLASSIFY) {
        out.println("classes  " + String.join(", ", inference.classNames()));
      }
      Dataset<Row> paths = SparkInference.listImages(spark, o.input, o.glob);
      long appended = ResumableOutput.run(spark, inference, task, paths, o.out, format, o.rowsPerChunk,
          (chunk, chunks, rows, written, remaining) -> {
            if (chunks > 1) {
              out.printf(Locale.ROOT, "spark    chunk %d/%d: %d rows (%d of %d) at %.1f s%n", chunk, chunks, rows,
                  written, remaining, (System.nanoTime() - start) / 1e9);
            }
          });
      Row totals = spark.read().format(format.name().toLowerCase(Locale.ROOT)).load(o.out)
          .agg(count(lit(1)), count(col("error"))).first(); // one job: rows, and rows with an error
      long rows = totals.getLong(0);
      long errors = totals.getLong(1);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "spark    %d new rows (%d in %s, %d with an error) in %.1f s; model loads on the "
          + "executors: %d%n", appended, rows, o.out, errors, seconds, inference.executorLoads());
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** {@code cleft spark classify}. */
  @Command(name = "classify", mixinStandardHelpOptions = true,
      description = "Classifies every image: the checkpoint's own classes, or --classes zero-shot.")
  static final class Classify implements Callable<Integer> {
    @ParentCommand
    SparkCommand parent;

    @Mixin
    JobOptions options;

    @Option(names = "--classes", split = ",", paramLabel = "NAME",
        description = "Zero-shot classes instead of the checkpoint's own.")
    List<String> classes;

    @Override
    public Integer call() throws Exception {
      return runJob(parent.cli, options, ResumableOutput.Task.CLASSIFY, classes);
    }
  }

  /** {@code cleft spark embed}. */
  @Command(name = "embed", mixinStandardHelpOptions = true, description = "Embeds every image.")
  static final class Embed implements Callable<Integer> {
    @ParentCommand
    SparkCommand parent;

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
      return runJob(parent.cli, options, ResumableOutput.Task.EMBED, null);
    }
  }
}
