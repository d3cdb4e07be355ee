package org.cleft.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cleft.examples.demo.Demo;
import org.cleft.examples.demo.DemoSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cleft demo}: the whole workflow on synthetic data, in minutes on a laptop CPU. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generates a synthetic 5-class chest X-ray set with radiology-style reports (training, validation "
        + "and held-out), pre-trains a small CLEFT from scratch on the embedded DJL backend (CPU), evaluates zero-shot "
        + "with the plain template on the held-out images, prompt-tunes (checkpoint chosen on the validation split), "
        + "evaluates again, exports to ONNX and classifies the held-out images with ONNX Runtime.",
        "Writes to --out: data/, base/, pretrain/ (checkpoints, metrics.jsonl), prompt/best/ (the prompt-tuned "
            + "checkpoint chosen on the validation split, with onnx/), metrics.json, loss_curve.png, roc_*.png, confusion_*.png and report.md."},
    footer = {"", "Takes about 2 minutes on 2 CPU cores (after the first build), --seeds N about N times that. See "
        + "docs/quickstart.md and, for what the numbers show, docs/concepts.md."})
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
      description = "Output folder (its demo sub-folders are replaced). Default: ${DEFAULT-VALUE}.")
  private Path out;

  @Option(names = "--steps", paramLabel = "N", description = "Pre-training steps. Default: 600.")
  private Long steps;

  @Option(names = "--prompt-steps", paramLabel = "N", description = "Prompt-tuning steps. Default: 150.")
  private Long promptSteps;

  @Option(names = "--train-images", paramLabel = "N", description = "Training images. Default: 1500.")
  private Integer trainImages;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Training backend for both stages: djl (libtorch) or tf (TensorFlow Java). Default: ${DEFAULT-VALUE}.")
  private String backend;

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
      description = "Run the whole demo once per seed (0 .. N-1, in seed-K/) and report the mean and spread of the "
          + "prompt-tuning gain. Default: ${DEFAULT-VALUE}.")
  private int seeds;

  @ParentCommand
  private CleftCli cli;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public DemoCommand() {}

  @Override
  public Integer call() throws Exception {
    DemoSettings d = DemoSettings.defaults(out);
    DemoSettings s = d.withSteps(steps != null ? steps : d.steps(), promptSteps != null ? promptSteps : d.promptSteps(),
        trainImages != null ? trainImages : d.trainImages());
    if (seeds < 1) {
      throw new ParameterException(spec.commandLine(), "--seeds must be 1 or more, got " + seeds);
    }
    if (seeds == 1) {
      new Demo(s, cli.out(), backend).run();
    } else {
      new Demo(s, cli.out(), backend).runSeeds(seeds);
    }
    return 0;
  }
}
