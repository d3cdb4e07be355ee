package org.cleft.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.djl.verify.Comparison;
import org.cleft.djl.verify.FixtureRun;
import org.cleft.djl.verify.Tolerances;
import org.cleft.onnx.OnnxFixtureRun;
import org.cleft.tf.TfFixtureRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cleft verify}: runs a reference fixture's forward pass on a backend, writes every computed
 * tensor to a safetensors file and compares each with the fixture's expected tensors.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Run a reference fixture (or a checkpoint laid out like one) through a backend, write every "
        + "computed tensor to --out and compare it with DIR/expected.safetensors and "
        + "DIR/expected_prefix.safetensors (when present).",
        "Only the tensors the backend computes are compared (onnx computes the embeddings, logits, loss and "
            + "zero-shot tensors; djl all of them); a computed tensor with no expected counterpart is listed "
            + "as ONLY.",
        "Exits 1 when any tensor is beyond tolerance or has the wrong shape, 0 otherwise."},
    footer = {"", "Example:",
        "  cleft verify --fixture cleft-testkit/src/main/resources/org/cleft/testkit/fixtures/tiny "
            + "--backend djl --out /tmp/v.safetensors",
        "  cleft verify --fixture cleft-testkit/src/main/resources/org/cleft/testkit/fixtures/tiny "
            + "--backend onnx --out /tmp/o.safetensors",
        "See docs/verify.md."})
public final class VerifyCommand implements Callable<Integer> {
  /** The backends {@code verify} can run. */
  static final List<String> BACKENDS = List.of("djl", "onnx", "tf");
  private static final String[] EXPECTED = {"expected.safetensors", "expected_prefix.safetensors"};

  @Option(names = "--fixture", required = true, paramLabel = "DIR",
      description = "Fixture directory: text/, vision/, heads.safetensors, inputs.safetensors, optional adapter "
          + "folders (lora/, ia3/, prefix/) and the expected tensors. Required.")
  private Path fixture;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Backend that computes the tensors. Available: djl (libtorch through DJL, CPU; every "
          + "tensor), onnx (ONNX Runtime, CPU; the graphs in DIR/onnx) and tf (TensorFlow Java, CPU; the forward "
          + "tensors, LoRA and prefix included).")
  private String backend;

  @Option(names = "--out", required = true, paramLabel = "FILE.safetensors",
      description = "Where to write every computed tensor (float32, metadata: backend, fixture). Required.")
  private Path out;

  @Option(names = "--tolerance-forward", paramLabel = "ABS", defaultValue = "1e-4",
      description = "Largest allowed absolute difference on forward tensors and losses. Gradients keep 1e-3 "
          + "relative and post-AdamW tensors 2e-5 absolute.")
  private double toleranceForward;

  @ParentCommand
  private CleftCli cli;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public VerifyCommand() {}

  /**
   * Runs the verification.
   *
   * @return 0 when every compared tensor is within tolerance, 1 otherwise
   * @throws IOException when the fixture cannot be loaded or the output cannot be written
   */
  @Override
  public Integer call() throws IOException {
    validate();
    Map<String, Tensor> computed = forward();
    cli.out().printf("fixture  %s%nbackend  %s%n", fixture, backend);
    SafetensorsWriter.write(out, computed, metadata());
    cli.out().printf("wrote    %d tensors to %s%n%n", computed.size(), out);
    List<TensorSource> expected = openExpected();
    try {
      if (expected.isEmpty()) {
        cli.out().println("no expected.safetensors in " + fixture + ": nothing to compare");
        return 0;
      }
      Comparison comparison = Comparison.of(computed, expected, tolerances());
      comparison.print(cli.out());
      long skipped = notComputed(computed, expected);
      if (skipped > 0) {
        cli.out().printf("%d expected tensor(s) not computed by %s: not compared%n", skipped, backend);
      }
      cli.out().flush();
      return comparison.failed() ? ErrorReporter.FAILURE : 0;
    } finally {
      expected.forEach(TensorSource::close);
    }
  }

  private void validate() {
    if (!BACKENDS.contains(backend)) {
      throw new ParameterException(spec.commandLine(), "unknown backend '" + backend + "'; available backends: "
          + String.join(", ", BACKENDS));
    }
    if (!(toleranceForward > 0) || Double.isInfinite(toleranceForward)) {
      throw new ParameterException(spec.commandLine(), "--tolerance-forward must be a positive number, got "
          + toleranceForward);
    }
    if (!Files.isDirectory(fixture)) {
      throw new CliFailure(fixture + ": fixture directory not found",
          "pass --fixture a directory such as cleft-testkit/src/main/resources/org/cleft/testkit/fixtures/tiny");
    }
  }

  /** The reference tolerances with the forward one replaced by {@code --tolerance-forward}. */
  private Tolerances tolerances() {
    Tolerances reference = Tolerances.reference();
    // Tolerances has no accessors per kind; ask it with names of each kind
    return new Tolerances(toleranceForward, reference.tolerance("train.grad."),
        reference.tolerance("train.after_step."));
  }

  private Map<String, Tensor> forward() throws CheckpointException {
    return switch (backend) {
      case "onnx" -> OnnxFixtureRun.forward(fixture);
      case "tf" -> TfFixtureRun.forward(fixture);
      default -> FixtureRun.forward(fixture);
    };
  }

  private static long notComputed(Map<String, Tensor> computed, List<TensorSource> expected) {
    return expected.stream().flatMap(s -> s.names().stream()).distinct().filter(n -> !computed.containsKey(n))
        .count();
  }

  private Map<String, String> metadata() {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("backend", backend);
    meta.put("fixture", fixture.toAbsolutePath().normalize().toString());
    return meta;
  }

  private List<TensorSource> openExpected() throws IOException {
    List<TensorSource> sources = new ArrayList<>();
    try {
      for (String name : EXPECTED) {
        Path file = fixture.resolve(name);
        if (Files.isRegularFile(file)) {
          sources.add(SafetensorsFile.open(file));
        }
      }
      return sources;
    } catch (IOException e) {
      sources.forEach(TensorSource::close);
      throw e;
    }
  }
}
