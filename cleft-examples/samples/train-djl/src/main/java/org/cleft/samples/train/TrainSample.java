package org.cleft.samples.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.PromptLearner;
import org.cleft.api.RunFolder;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.spi.Backend;
import org.cleft.data.dataset.ChexpertClasses;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.LoaderBatchSource;
import org.cleft.data.loader.Sample;
import org.cleft.data.loader.SampleSource;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestLoader;
import org.cleft.data.manifest.ManifestSpec;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.RandomResizedCrop;

/**
 * The two CLEFT training stages through the trainer API, on a synthetic CheXpert-shaped data set:
 * contrastive pre-training of a checkpoint whose text tower carries a LoRA adapter, then context
 * prompt tuning of the result. Compiles against {@code cleft-api} and {@code cleft-data} only; the
 * training backend ({@code cleft-djl}) is a runtime dependency found by {@link java.util.ServiceLoader}.
 */
public final class TrainSample {
  private TrainSample() {}

  /**
   * Runs both stages.
   *
   * @param args {@code BASE_CHECKPOINT OUT_DIR [STEPS]}: a checkpoint with a {@code lora/} adapter
   *     folder (the tiny test fixture works), where to write data and checkpoints, steps per stage
   *     (default 10)
   * @throws Exception when a stage fails (the message names the file or setting at fault)
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: TrainSample BASE_CHECKPOINT OUT_DIR [STEPS]");
      System.exit(2);
    }
    Path out = Files.createDirectories(Path.of(args[1]));
    long steps = args.length > 2 ? Long.parseLong(args[2]) : 10;

    // The base: a copy of the given checkpoint whose cleft.json names its lora/ folder as the text
    // adapter, so that pre-training trains the LoRA weights, the image tower and the projections.
    Path base = copy(Path.of(args[0]), out.resolve("base"));
    CleftManifest.defaults().withAdapter("lora").write(base.resolve("cleft.json"));
    int imageSize = CleftCheckpoint.open(base).visionConfig().imageSize();

    // Data: synthetic chest X-rays with captions and five CheXpert labels.
    Path data = SyntheticChestXrays.write(out.resolve("data"), 64, 16, 0, new ChestXrayGenerator(64, 0.3));
    List<Sample> train = samples(data.resolve("train_manifest.csv"));
    ImagePipeline augment = ImagePipeline.training(new RandomResizedCrop(imageSize, 0.6, 1, 3 / 4.0, 4 / 3.0));
    List<String> classes = ChexpertClasses.FIVE;

    try (Backend backend = Backends.open(Capability.TRAINING);
        HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(base.resolve("text"))) {
      System.out.println("backend: " + backend.name());

      // Trainers refuse an output folder that holds a run; this sample starts over each time it runs.
      RunFolder.clear(out.resolve("pretrain"));
      RunFolder.clear(out.resolve("prompt"));

      // Stage 1: contrastive pre-training (image-report pairs, symmetric cross-entropy).
      TrainingConfig pretrain = TrainingConfig.builder().setOutputDir(out.resolve("pretrain")).optSteps(steps)
          .optLearningRate(1e-4).optWarmupSteps(2).optCheckpointEvery(0).optEvalEvery(0).optSeed(0).build();
      Path pretrained;
      try (BatchLoader loader = BatchLoader.builder(SampleSource.of(train), augment).optBatchSize(8)
              .optTokenizer(tokenizer).optMaxTokens(32).optDropLast(true).optSeed(0).build();
          ContrastiveTrainer trainer = backend.contrastiveTrainer(base, pretrain, false)) {
        TrainingReport r = trainer.train(new LoaderBatchSource(loader), null, progress("pretrain"));
        report("pretrain", r);
        pretrained = r.checkpoint();
      }

      // Stage 2: context prompt tuning (both towers frozen, learned context vectors, BCE on labels).
      TrainingConfig prompt = TrainingConfig.promptDefaults().setOutputDir(out.resolve("prompt")).optSteps(steps)
          .optPromptContext(8).optClassNames(classes).optCheckpointEvery(0).optEvalEvery(0).optSeed(0).build();
      try (BatchLoader loader = BatchLoader.builder(SampleSource.of(train), augment).optBatchSize(8)
              .optDropLast(true).optSeed(0).build();
          PromptLearner learner = backend.promptLearner(pretrained, prompt, false)) {
        report("prompt", learner.learn(classes, new LoaderBatchSource(loader), null, progress("prompt")));
      }
    }
  }

  private static List<Sample> samples(Path manifest) {
    LoadedDataset loaded = new ManifestLoader(
        ManifestSpec.of("path", "report", ChexpertClasses.FIVE.toArray(String[]::new))).load(manifest);
    List<Sample> out = new ArrayList<>();
    for (org.cleft.data.manifest.Sample s : loaded.samples()) {
      out.add(Sample.ofFile(s.image(), s.text(), s.labels()));
    }
    return out;
  }

  private static TrainingListener progress(String stage) {
    return new TrainingListener() {
      @Override
      public void onStep(long step, long total, double loss, double lr, double imagesPerSecond) {
        System.out.printf(Locale.ROOT, "%s step %d/%d loss %.4f lr %.2e%n", stage, step, total, loss, lr);
      }
    };
  }

  private static void report(String stage, TrainingReport r) {
    System.out.printf(Locale.ROOT, "%s done: %d steps, final loss %.4f, %.2f%% of parameters trainable%n",
        stage, r.steps(), r.finalLoss(), r.trainablePercent());
    System.out.println(stage + " checkpoint: " + r.checkpoint());
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return to;
  }
}
