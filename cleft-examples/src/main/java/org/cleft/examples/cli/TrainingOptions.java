package org.cleft.examples.cli;

import java.nio.file.Path;
import org.cleft.api.RunFolder;
import org.cleft.api.TrainingConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The optimisation options shared by {@code train} and {@code prompt-tune}. Defaults that differ by
 * stage (learning rate, optimiser, steps, warm-up, weight decay) are empty here and filled from
 * {@link TrainingConfig#builder()} or {@link TrainingConfig#promptDefaults()}, the paper's values.
 */
final class TrainingOptions {
  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Run folder: checkpoint-NNNNNN/ every --checkpoint-every steps, final/ at the end, metrics.jsonl. "
          + "Required.")
  Path out;

  @Option(names = "--steps", paramLabel = "N", description = "Optimiser steps (default: 40000 for train, 8000 for "
      + "prompt-tune, the paper's).")
  Long steps;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "72",
      description = "Images per batch (the paper: 72 per GPU). Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--grad-accum", paramLabel = "N", defaultValue = "1",
      description = "Batches whose gradients are summed per step. Default: ${DEFAULT-VALUE}.")
  int gradAccum;

  @Option(names = "--optimizer", paramLabel = "NAME", description = "adamw or sgd (default: adamw for train, sgd for "
      + "prompt-tune).")
  String optimizer;

  @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default: 4e-5 for train, 1e-4 for "
      + "prompt-tune).")
  Double lr;

  @Option(names = "--min-lr", paramLabel = "LR", description = "Learning rate where warm-up starts and the cosine ends "
      + "(default: 0 for train; the peak for prompt-tune, i.e. constant).")
  Double minLr;

  @Option(names = "--warmup", paramLabel = "N", description = "Linear warm-up steps (default: 4000 for train, 0 for "
      + "prompt-tune).")
  Long warmup;

  @Option(names = "--weight-decay", paramLabel = "WD", description = "Weight decay, never on 1-D parameters "
      + "(default: 0.1 for train, 0 for prompt-tune).")
  Double weightDecay;

  @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
      description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
  double momentum;

  @Option(names = "--clip-grad-norm", paramLabel = "MAX", defaultValue = "0",
      description = "Clip the global gradient norm to MAX; 0 disables. Default: ${DEFAULT-VALUE}.")
  double clipGradNorm;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed for data order, augmentation, dropout and new weights. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--eval-every", paramLabel = "N", defaultValue = "1000",
      description = "Evaluate on the validation set every N steps (and at the end); 0: only at the end. "
          + "Default: ${DEFAULT-VALUE}.")
  long evalEvery;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1000",
      description = "Write a checkpoint every N steps (and final/ at the end); 0: only at the end. "
          + "Default: ${DEFAULT-VALUE}.")
  long checkpointEvery;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
      description = "Image decoding threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--keep-best", paramLabel = "METRIC",
      description = "Also keep the checkpoint of the best validation evaluation in best/, judged by METRIC "
          + "(higher is better), e.g. zero_shot_accuracy, zero_shot_macro_auc, prompt_tuned_accuracy. Needs "
          + "--valid-manifest. In prompt-tune the initial prompt (step 0) is evaluated and competes too. "
          + "Default: none.")
  String keepBest;

  @Option(names = "--resume", description = "Continue the run whose checkpoint is given as the model "
      + "(--base / --model): its step, optimiser state and data position. Default: off.")
  boolean resume;

  @Option(names = "--bad-samples", paramLabel = "skip|stop", defaultValue = "skip",
      converter = SkipNotes.PolicyConverter.class,
      description = "An image that does not decode: skip it (a warning naming it, counted and listed at the end) or "
          + "stop the run. Default: skip.")
  org.cleft.data.loader.BadSamplePolicy badSamples;

  @Option(names = "--overwrite", description = "Delete the earlier run in --out (metrics.jsonl, checkpoint-*/, best/, "
      + "final/) and start over. Without it (or --resume), a --out that holds a run is refused. Default: off.")
  boolean overwrite;

  @Option(names = "--classes", split = ",", paramLabel = "NAME",
      description = "Class names, in label-column order (the label columns of --valid-manifest, and of --manifest for "
          + "prompt tuning). Default: the CheXpert five.")
  java.util.List<String> classes = java.util.List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema",
      "Pleural Effusion");

  @Option(names = "--image-column", paramLabel = "NAME", defaultValue = "path",
      description = "Image path column of the manifests (relative paths resolve against the manifest's folder). "
          + "Default: ${DEFAULT-VALUE}.")
  String imageColumn;

  @Option(names = "--text-column", paramLabel = "NAME", defaultValue = "report",
      description = "Report column of the manifests. Default: ${DEFAULT-VALUE}.")
  String textColumn;

  @Option(names = "--dataset", paramLabel = "KIND",
      description = "A known data set instead of --manifest, read from --data: chexpert (a CheXpert CSV such as "
          + "train.csv; captions are built from the labels, as the reference does), rsna or embed (see 'cleft eval "
          + "--help'). Default: none.")
  String dataset;

  @Option(names = "--data", paramLabel = "PATH", description = "Where --dataset lives. Default: none.")
  Path data;

  @Option(names = "--min-crop-scale", paramLabel = "S", defaultValue = "0.08",
      description = "Smallest area fraction of the random resized crop (torchvision's default). "
          + "Default: ${DEFAULT-VALUE}.")
  double minCropScale;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Training backend. Default: ${DEFAULT-VALUE}.")
  String backend;

  @Option(names = "--device", paramLabel = "DEV", defaultValue = "cpu",
      description = "cpu, cuda:N or auto. Default: ${DEFAULT-VALUE}.")
  String device;

  @Mixin
  FrozenDtype frozen;

  /**
   * The training data: {@code manifest} (the command's {@code --manifest}) or {@code --dataset} at {@code --data}.
   *
   * @param manifest the command's manifest, or null
   * @param labels the label columns the command needs from a manifest (may be empty)
   * @return the data set
   */
  org.cleft.data.manifest.LoadedDataset trainingData(Path manifest, java.util.List<String> labels) {
    if ((manifest == null) == (dataset == null)) {
      throw new CliFailure("give the training data either as --manifest FILE or as --dataset KIND --data PATH",
          "see --help for both forms");
    }
    if (manifest != null) {
      return TrainingData.manifest(manifest, imageColumn, textColumn, labels, "--manifest");
    }
    if (data == null) {
      throw new CliFailure("--dataset " + dataset + " needs --data PATH", "pass the data set's CSV or folder");
    }
    EvalData d = EvalData.load(new EvalData.Request(dataset, data, classes, imageColumn, textColumn,
        org.cleft.data.dataset.EmbedTask.DENSITY, ""));
    return d.dataset();
  }

  /** Applies these options over a builder holding the stage's defaults. */
  /**
   * Refuses a {@code --out} that holds an earlier run unless {@code --resume} or {@code --overwrite} says what
   * to do with it, and an {@code --overwrite} that would delete the checkpoint the run starts from. Deletes
   * nothing: {@link #clearIfOverwriting()} does, once the data and the checkpoint have been read.
   *
   * @param start the checkpoint the run starts from, or null for one assembled into {@code --out/base}
   */
  void checkOutput(Path start) throws java.io.IOException {
    if (resume && overwrite) {
      throw new CliFailure("--resume and --overwrite contradict each other", "give one of them");
    }
    java.util.List<String> earlier = RunFolder.runFiles(out);
    if (earlier.isEmpty() || resume) {
      return;
    }
    if (!overwrite) {
      throw new CliFailure(out + " holds a training run already " + earlier, "continue it with --resume "
          + "(giving its last checkpoint as the model), start over with --overwrite, or choose another --out");
    }
    if (start != null) {
      Path from = start.toAbsolutePath().normalize();
      for (String name : earlier) {
        if (from.startsWith(out.toAbsolutePath().normalize().resolve(name))) {
          throw new CliFailure("--overwrite would delete " + out.resolve(name) + ", the checkpoint this run starts "
              + "from", "copy it out of " + out + " first, or choose another --out");
        }
      }
    }
  }

  /** With {@code --overwrite}, deletes the earlier run in {@code --out} (after {@link #checkOutput(Path)}). */
  void clearIfOverwriting() throws java.io.IOException {
    if (overwrite && !resume) {
      RunFolder.clear(out);
    }
  }

  TrainingConfig.Builder apply(TrainingConfig.Builder b) {
    b.setOutputDir(out).optGradientAccumulation(gradAccum).optMomentum(momentum).optClipGradNorm(clipGradNorm)
        .optSeed(seed).optEvalEvery(evalEvery).optCheckpointEvery(checkpointEvery);
    if (steps != null) {
      b.optSteps(steps);
    }
    if (keepBest != null) {
      b.optSelectBest(keepBest);
    }
    if (optimizer != null) {
      b.optOptimizer(switch (optimizer.toLowerCase(java.util.Locale.ROOT)) {
        case "adamw" -> TrainingConfig.Optimizer.ADAMW;
        case "sgd" -> TrainingConfig.Optimizer.SGD;
        default -> throw new IllegalArgumentException("--optimizer must be adamw or sgd, got '" + optimizer + "'");
      });
    }
    if (lr != null) {
      b.optLearningRate(lr);
    }
    if (minLr != null) {
      b.optMinLearningRate(minLr);
    }
    if (warmup != null) {
      b.optWarmupSteps(warmup);
    }
    if (weightDecay != null) {
      b.optWeightDecay(weightDecay);
    }
    return b;
  }
}
