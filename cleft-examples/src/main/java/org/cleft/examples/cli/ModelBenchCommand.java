package org.cleft.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cleft.examples.bench.BenchShape;
import org.cleft.examples.bench.ModelBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cleft bench}: training and inference throughput of every installed backend (see {@link ModelBench}). */
@Command(name = "bench", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Measure training and inference throughput of every installed backend at the benchmark shapes "
        + "(demo, cpu-small; see docs/performance.md) or at your checkpoint: a random checkpoint of each shape is "
        + "written (and exported to ONNX), then each backend runs in a fresh JVM, the backends alternating run by "
        + "run. Prints median step or call time, images or texts per second, the spread of the runs' medians, peak "
        + "resident memory and the load average; with --torch-anchor the PyTorch anchor joins the rotation and the "
        + "table gives each backend's ratio to it."},
    footer = {"", "Examples:", "  cleft bench --shape cpu-small",
        "  cleft bench --shape demo,cpu-small --torch-anchor ../shared/bench/torch_bench.py --json bench.json",
        "  cleft bench --checkpoint ckpt/ --measure image,text"})
public final class ModelBenchCommand implements Callable<Integer> {
  @Option(names = "--shape", paramLabel = "NAME[,NAME...]", split = ",", defaultValue = "demo,cpu-small",
      description = "Benchmark shapes: demo, cpu-small.")
  private List<String> shapes = new ArrayList<>();

  @Option(names = "--checkpoint", paramLabel = "DIR",
      description = "Measure this checkpoint instead of the shapes (training batch 16, inference batch 32, "
          + "32 tokens; ONNX Runtime needs its onnx/ folder from cleft export).")
  private Path checkpoint;

  @Option(names = "--measure", paramLabel = "WHAT[,WHAT...]", split = ",", defaultValue = "train,image,text",
      description = "train (contrastive steps, AdamW), image (image encoder calls), text (text encoder calls).")
  private List<String> measures = new ArrayList<>();

  @Option(names = "--backends", paramLabel = "NAME[,NAME...]", split = ",",
      description = "Only these backends (default: every installed one).")
  private List<String> backends = new ArrayList<>();

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed calls per run.")
  private int warmup;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "10", description = "Timed calls per run.")
  private int iterations;

  @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
      description = "Runs per backend and measure, alternating between backends.")
  private int repeats;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
      description = "Threads per backend: OMP_NUM_THREADS and ai.djl.pytorch.num_threads (interop 1), "
          + "TF_NUM_INTRAOP_THREADS (interop 1), ONNX Runtime intra-op threads; 0 keeps the engines' defaults.")
  private int threads;

  @Option(names = "--torch-anchor", paramLabel = "FILE",
      description = "The PyTorch anchor script (../shared/bench/torch_bench.py) to run in the same rotation.")
  private Path anchor;

  @Option(names = "--python", paramLabel = "EXE", defaultValue = "/usr/bin/python3",
      description = "Python for the anchor (with torch; Debian: apt-get install python3-torch).")
  private String python;

  @Option(names = "--keep", paramLabel = "DIR",
      description = "Write the shapes' checkpoints here and keep them (reused by a later run).")
  private Path keep;

  @Option(names = "--json", paramLabel = "OUT", description = "Also write the results to this JSON file.")
  private Path json;

  @Spec
  private CommandSpec spec;

  @ParentCommand
  private CleftCli cli;

  /** Creates the command (picocli instantiates it). */
  public ModelBenchCommand() {}

  @Override
  public Integer call() throws Exception {
    if (warmup < 1 || iterations < 1 || repeats < 1 || threads < 0) {
      throw new ParameterException(spec.commandLine(),
          "--warmup, --iterations and --repeats must be at least 1 and --threads at least 0");
    }
    for (String m : measures) {
      if (!List.of("train", "image", "text").contains(m)) {
        throw new ParameterException(spec.commandLine(), "--measure: unknown '" + m + "'; use train, image, text");
      }
    }
    List<BenchShape> named = new ArrayList<>();
    for (String s : shapes) {
      try {
        named.add(BenchShape.named(s));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--shape: " + e.getMessage());
      }
    }
    if (checkpoint != null && !Files.isDirectory(checkpoint)) {
      throw new ParameterException(spec.commandLine(), "--checkpoint " + checkpoint + " is not a folder");
    }
    if (anchor != null && !Files.isRegularFile(anchor)) {
      throw new ParameterException(spec.commandLine(), "--torch-anchor " + anchor + " is not a file");
    }
    ModelBench bench = new ModelBench(new ModelBench.Settings(named, checkpoint, measures, backends, warmup,
        iterations, repeats, threads, anchor, python, keep), cli.out(), cli.err());
    return bench.run(json);
  }
}
