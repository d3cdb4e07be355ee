package org.cleft.examples.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cleft.api.PromptLearner;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingReport;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.spi.Backend;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.LoaderBatchSource;
import org.cleft.data.manifest.LoadedDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cleft prompt-tune}: CLEFT stage 2, learned context prompts on frozen towers. */
@Command(name = "prompt-tune", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Context prompt fine-tuning (CLEFT stage 2): learns --n-ctx context vectors prepended to each class "
        + "name, both towers frozen, BCE against multi-hot labels. Writes checkpoints whose prompt.safetensors "
        + "(ctx, class_embeds) is used by 'cleft classify' and 'cleft eval --prompt-tuned'.",
        "Defaults are the paper's: SGD (momentum 0.9), lr 1e-4, 8000 steps, 30 vectors initialised from "
            + "'this is a chest x ray of a patient with '."},
    footer = {"", "Example:", "  cleft prompt-tune --model runs/clef1/final --manifest train.csv "
        + "--valid-manifest valid.csv --out runs/prompt1", "See docs/training.md."})
public final class PromptTuneCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = "The pre-trained CLEFT checkpoint (not modified), or with --resume a checkpoint of this run. Required.")
  private Path model;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "Training images with one 0/1 column per --classes (CSV or JSONL). Or give --dataset and --data.")
  private Path manifest;

  @Option(names = "--valid-manifest", paramLabel = "FILE",
      description = "Validation images with the same columns, evaluated every --eval-every steps. Default: none.")
  private Path validManifest;

  @Option(names = "--n-ctx", paramLabel = "N", defaultValue = "30",
      description = "Number of learned context vectors. Default: ${DEFAULT-VALUE}.")
  private int nCtx;

  @Option(names = "--init-text", paramLabel = "TEXT", defaultValue = TrainingConfig.DEFAULT_PROMPT_INIT,
      description = "Text whose token embeddings initialise the context (repeated, then truncated to --n-ctx). "
          + "Default: '${DEFAULT-VALUE}'.")
  private String initText;

  @Option(names = "--random-init", description = "Initialise the context from N(0, 0.02) instead of --init-text.")
  private boolean randomInit;

  @Mixin
  private TrainingOptions training;

  @ParentCommand
  private CleftCli cli;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public PromptTuneCommand() {}

  @Override
  public Integer call() throws Exception {
    TrainingConfig config = config();
    training.checkOutput(model);
    CleftCheckpoint ckpt = CleftCheckpoint.open(model);
    int size = ckpt.imageSize();
    LoadedDataset train = training.trainingData(manifest, training.classes);
    LoadedDataset valid = validManifest == null ? null
        : TrainingData.manifest(validManifest, training.imageColumn, training.textColumn, training.classes, "--valid-manifest");
    training.clearIfOverwriting(); // the data and the checkpoint have been read
    try (Backend b = TrainingBackends.open(training.backend, training.device, training.frozen.precision());
        BatchLoader trainLoader = TrainingData.training(train, null, 0, size, training.minCropScale, training.batchSize,
            training.threads, training.seed, training.badSamples);
        BatchLoader validLoader = valid == null ? null
            : TrainingData.evaluation(valid, null, 0, size, training.batchSize, training.threads, training.badSamples);
        PromptLearner learner = b.promptLearner(model, config, training.resume)) {
      cli.out().printf(Locale.ROOT, "prompt   %d images from %s, %d classes, %d context vectors, %d steps%n",
          train.samples().size(), manifest != null ? manifest : training.data, training.classes.size(), nCtx, config.steps());
      SkipNotes.rows(cli.out(), "the training data", train);
      if (valid != null) {
        SkipNotes.rows(cli.out(), "the validation data", valid);
      }
      TrainingReport r = learner.learn(training.classes, new LoaderBatchSource(trainLoader),
          validLoader == null ? null : new LoaderBatchSource(validLoader),
          ProgressBar.on(cli.out(), "prompt", config.steps()));
      Reports.print(cli.out(), r);
      SkipNotes.images(cli.out(), "the training data", trainLoader);
      SkipNotes.images(cli.out(), "the validation data", validLoader);
      return 0;
    }
  }

  private TrainingConfig config() {
    try {
      TrainingConfig.Builder b = TrainingConfig.promptDefaults();
      if (training.lr != null && training.minLr == null) {
        training.minLr = training.lr; // prompt tuning keeps a constant rate unless told otherwise
      }
      return training.apply(b).optPromptContext(nCtx).optPromptInitText(randomInit ? null : initText)
          .optClassNames(training.classes).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage().replace("TrainingConfig.", ""));
    }
  }
}
