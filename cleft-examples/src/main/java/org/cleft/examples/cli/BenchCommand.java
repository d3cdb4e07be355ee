package org.cleft.examples.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.cleft.data.loader.LoaderBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cleft data bench}: runs {@link LoaderBenchmark} (synthetic 1024x1024 grey PNGs decoded and
 * transformed into 224x224 batches) and prints images per second for each thread count.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Measure batch-loader throughput: write synthetic 1024x1024 grey PNGs to a temporary folder, "
        + "load them into 3x224x224 batches (PNG decoding plus the evaluation or training pipeline) and print "
        + "images per second for each thread count. The temporary folder is deleted afterwards."})
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--images", paramLabel = "N", defaultValue = "48", description = "Number of synthetic images.")
  private int images;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Batch size.")
  private int batch;

  @Option(names = "--threads", paramLabel = "N[,N...]", split = ",", defaultValue = "1,2",
      description = "Worker thread counts to measure, comma-separated.")
  private List<Integer> threads = new ArrayList<>();

  @Option(names = "--pipeline", paramLabel = "eval|train", defaultValue = "eval",
      description = "Transform pipeline: eval (deterministic resize) or train (random augmentation).")
  private String pipeline;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public BenchCommand() {}

  /**
   * Runs the benchmark; it prints to standard output.
   *
   * @return 0
   * @throws IOException when the temporary images cannot be written
   */
  @Override
  public Integer call() throws IOException {
    if (images < 1 || batch < 1 || threads.stream().anyMatch(t -> t < 1)) {
      throw new ParameterException(spec.commandLine(), "--images, --batch and --threads must be at least 1");
    }
    if (!pipeline.equals("eval") && !pipeline.equals("train")) {
      throw new ParameterException(spec.commandLine(), "--pipeline must be eval or train, got '" + pipeline + "'");
    }
    String threadList = threads.stream().map(String::valueOf).collect(Collectors.joining(","));
    LoaderBenchmark.main(new String[] {String.valueOf(images), String.valueOf(batch), threadList, pipeline});
    return 0;
  }
}
