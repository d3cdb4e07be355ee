package org.cleft.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.PromptLearner;
import org.cleft.api.RunFolder;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.RandomCheckpoint;
import org.cleft.api.eval.ZeroShotEvaluation;
import org.cleft.api.eval.ZeroShotResult;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.LoaderBatchSource;
import org.cleft.data.loader.Sample;
import org.cleft.data.loader.SampleSource;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestLoader;
import org.cleft.data.manifest.ManifestSpec;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.RandomResizedCrop;
import org.cleft.onnx.export.OnnxExporter;

/**
 * The whole CLEFT workflow on synthetic data, with the embedded default backend (DJL on CPU) for
 * training and ONNX Runtime for deployment: data, pre-training from scratch, zero-shot evaluation,
 * prompt tuning, evaluation again, ONNX export, ONNX classification and a report.
 */
public final class Demo {
  private static final ObjectMapper JSON = org.cleft.examples.cli.ReportJson.MAPPER;
  /** The text tower's positions and the longest report kept: the synthetic reports run to about 115 tokens. */
  private static final int MAX_REPORT_TOKENS = 128;
  private final DemoSettings settings;
  private final PrintStream log;
  private final String backend;
  private final Map<String, Object> metrics = new LinkedHashMap<>();

  /**
   * A demo run.
   *
   * @param settings sizes, steps and the output folder
   * @param log where progress goes
   */
  public Demo(DemoSettings settings, PrintStream log) {
    this(settings, log, "djl");
  }

  /**
   * A demo run on a training backend.
   *
   * @param settings sizes, steps and the output folder
   * @param log where progress goes
   * @param backend the training backend's name ({@code djl}, {@code tf})
   */
  public Demo(DemoSettings settings, PrintStream log, String backend) {
    this.settings = settings;
    this.log = log;
    this.backend = backend;
  }

  /**
   * Runs every stage and writes {@code metrics.json}, the charts and {@code report.md}.
   *
   * @return the metrics written to {@code metrics.json}
   * @throws Exception when a stage fails (the message names the stage's file or setting)
   */
  public Map<String, Object> run() throws Exception {
    long start = System.nanoTime();
    Path out = Files.createDirectories(settings.out());
    log.println("demo     writing to " + out.toAbsolutePath());
    Path data = out.resolve("data");
    long t = System.nanoTime();
    Path trainManifest = DemoData.write(data, "train", settings.trainImages(), settings.sourceSize(), settings.seed(),
        settings.threads(), true);
    Path validManifest = DemoData.write(data, "valid", settings.heldOutImages(), settings.sourceSize(),
        settings.seed() + 2, settings.threads(), false);
    Path heldOutManifest = DemoData.write(data, "heldout", settings.heldOutImages(), settings.sourceSize(),
        settings.seed() + 1, settings.threads(), false);
    log.printf(Locale.ROOT, "data     %d training, %d validation and %d held-out images (5 classes) in %.1f s: %s%n",
        settings.trainImages(), settings.heldOutImages(), settings.heldOutImages(), seconds(t), data);
    LoadedDataset train = load(trainManifest);
    LoadedDataset valid = load(validManifest);
    LoadedDataset heldOut = load(heldOutManifest);
    Path base = baseCheckpoint(out.resolve("base"));
    metrics.put("backend", backend);
    metrics.put("seed", settings.seed());
    metrics.put("seeds", List.of(settings.seed()));
    try (Backend djl = Backends.open(Capability.TRAINING, backend, BackendOptions.defaults());
        HfTextTokenizer tok = TextTokenizers.fromDirectory(base.resolve("text"))) {
      Path pretrained = pretrain(djl, base, train, tok, out.resolve("pretrain"));
      ZeroShotResult zeroShot = evaluateZeroShot(djl, pretrained, heldOut);
      DemoReport.charts(out, "zero_shot", zeroShot);
      Path tuned = promptTune(djl, pretrained, train, valid, out.resolve("prompt"));
      ZeroShotResult promptTuned = evaluatePromptTuned(djl, tuned, heldOut);
      DemoReport.charts(out, "prompt_tuned", promptTuned);
      metrics.put("prompt_gain_accuracy", promptTuned.accuracy() - zeroShot.accuracy());
      metrics.put("prompt_gain_macro_auc", promptTuned.macroAuc() - zeroShot.macroAuc());
      List<List<String>> nearest = ContextTokens.nearest(tuned, 3);
      metrics.put("context_nearest_tokens", nearest);
      log.printf(Locale.ROOT, "prompt   learned context, nearest tokens: %s%n", DemoReport.contextLine(nearest));
      Path onnx = export(tuned);
      compareOnnx(djl, tuned, onnx, heldOut);
      metrics.put("model", tuned.toAbsolutePath().toString());
    }
    metrics.put("total_seconds", seconds(start));
    JSON.writeValue(out.resolve("metrics.json").toFile(), metrics);
    DemoReport.lossChart(out.resolve("pretrain/metrics.jsonl"), out.resolve("loss_curve.png"));
    DemoReport.markdown(out, metrics, settings);
    log.printf(Locale.ROOT, "done     in %.1f s: %s, %s%n", seconds(start), out.resolve("metrics.json"),
        out.resolve("report.md"));
    return metrics;
  }

  /**
   * Runs the whole demo once per seed ({@code seed-K/} under the output folder, seeds {@code seed .. seed + n - 1}:
   * data, initialisation and shuffling all change) and writes, at the top, {@code metrics.json} with each run's
   * numbers and the mean and sample standard deviation of the prompt-tuning gain, and {@code report.md}.
   *
   * @param seeds how many seeds, at least 2
   * @return the summary written to {@code metrics.json}
   * @throws Exception when a run fails
   */
  public Map<String, Object> runSeeds(int seeds) throws Exception {
    if (seeds < 2) {
      throw new IllegalArgumentException("a multi-seed demo needs at least 2 seeds, got " + seeds);
    }
    long start = System.nanoTime();
    Path out = Files.createDirectories(settings.out());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (int k = 0; k < seeds; k++) {
      long seed = settings.seed() + k;
      log.printf(Locale.ROOT, "seeds    run %d of %d, seed %d%n", k + 1, seeds, seed);
      Map<String, Object> m = new Demo(settings.withSeed(out.resolve("seed-" + seed), seed), log, backend).run();
      Map<String, Object> run = new LinkedHashMap<>();
      for (String key : List.of("seed", "zero_shot_accuracy", "prompt_tuned_accuracy", "prompt_gain_accuracy",
          "zero_shot_macro_auc", "prompt_tuned_macro_auc", "prompt_gain_macro_auc", "prompt_selected_step",
          "onnx_vs_djl_max_abs_diff")) {
        run.put(key, m.get(key));
      }
      runs.add(run);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("backend", backend);
    summary.put("seeds", runs.stream().map(r -> r.get("seed")).toList());
    for (String key : List.of("zero_shot_accuracy", "prompt_tuned_accuracy", "prompt_gain_accuracy",
        "zero_shot_macro_auc", "prompt_tuned_macro_auc", "prompt_gain_macro_auc")) {
      double[] v = runs.stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).toArray();
      summary.put(key, mean(v));
      summary.put(key + "_std", std(v));
    }
    summary.put("onnx_vs_djl_max_abs_diff", runs.stream()
        .mapToDouble(r -> ((Number) r.get("onnx_vs_djl_max_abs_diff")).doubleValue()).max().orElse(Double.NaN));
    summary.put("runs", runs);
    summary.put("total_seconds", seconds(start));
    JSON.writeValue(out.resolve("metrics.json").toFile(), summary);
    DemoReport.seedsMarkdown(out, summary, settings);
    log.printf(Locale.ROOT, "seeds    prompt-tuning gain over %d seeds: accuracy %+.3f +- %.3f, macro AUC %+.3f +- %.3f "
        + "(mean +- sample std)%n", seeds, summary.get("prompt_gain_accuracy"), summary.get("prompt_gain_accuracy_std"),
        summary.get("prompt_gain_macro_auc"), summary.get("prompt_gain_macro_auc_std"));
    return summary;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** The sample standard deviation (n - 1). */
  private static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  private Path baseCheckpoint(Path dir) throws IOException {
    Path vocab = Files.createTempDirectory("cleft-demo-gpt2");
    try {
      DemoVocabulary.copyTo(vocab);
      if (Files.exists(dir)) {
        RunFolder.deleteTree(dir);
      }
      new RandomCheckpoint(settings.textWidth(), settings.textLayers(), 4, MAX_REPORT_TOKENS, settings.visionWidth(),
          settings.visionLayers(), 4, 14, settings.imageSize(), 2, settings.embeddingDim())
          .write(dir, vocab, 50257, settings.seed());
      return dir;
    } finally {
      RunFolder.deleteTree(vocab);
    }
  }

  private Path pretrain(Backend djl, Path base, LoadedDataset train, HfTextTokenizer tok, Path runDir) throws Exception {
    RunFolder.deleteTree(runDir);
    TrainingConfig config = TrainingConfig.builder().setOutputDir(runDir).optSteps(settings.steps())
        .optLearningRate(settings.learningRate()).optMinLearningRate(settings.learningRate() / 50)
        .optWarmupSteps(Math.max(1, settings.steps() / 20)).optWeightDecay(0.05)
        .optText(TrainingConfig.TextTraining.FULL).optCheckpointEvery(0).optEvalEvery(0).optLogEvery(1)
        .optSeed(settings.seed()).build();
    try (BatchLoader loader = trainingLoader(train, tok);
        ContrastiveTrainer trainer = djl.contrastiveTrainer(base, config, false)) {
      log.printf(Locale.ROOT, "pretrain %d steps of %d image-report pairs, everything trainable (no pretrained weights "
          + "offline)%n", settings.steps(), settings.batchSize());
      TrainingReport r = trainer.train(new LoaderBatchSource(loader), null, progress("pretrain", settings.steps()));
      metrics.put("train_seconds", r.seconds());
      metrics.put("train_steps", r.steps());
      metrics.put("final_train_loss", r.finalLoss());
      metrics.put("trainable_parameters", r.trainableParameters());
      metrics.put("total_parameters", r.totalParameters());
      log.printf(Locale.ROOT, "pretrain done in %.1f s, loss %.4f, %,d of %,d parameters trainable%n", r.seconds(),
          r.finalLoss(), r.trainableParameters(), r.totalParameters());
      return r.checkpoint();
    }
  }

  private ZeroShotResult evaluateZeroShot(Backend djl, Path checkpoint, LoadedDataset heldOut) throws Exception {
    try (CleftModel model = djl.load(checkpoint);
        ZeroShotClassifier zs = model.zeroShot(DemoData.CLASSES, TrainingConfig.DEFAULT_PROMPT_INIT + "{}");
        BatchLoader loader = evaluationLoader(heldOut)) {
      ZeroShotResult r = ZeroShotEvaluation.evaluate(zs, new LoaderBatchSource(loader));
      putResult("zero_shot", r);
      log.printf(Locale.ROOT, "zeroshot accuracy %.3f, macro AUC %.3f on %d held-out images%n", r.accuracy(),
          r.macroAuc(), r.rows());
      return r;
    }
  }

  /**
   * Prompt tuning with the paper's optimiser; the validation split (not the held-out one) picks the
   * checkpoint: {@code best/}, the evaluation with the highest accuracy.
   */
  private Path promptTune(Backend djl, Path pretrained, LoadedDataset train, LoadedDataset valid, Path runDir)
      throws Exception {
    RunFolder.deleteTree(runDir);
    TrainingConfig config = TrainingConfig.promptDefaults().setOutputDir(runDir).optSteps(settings.promptSteps())
        .optLearningRate(settings.promptLearningRate()).optMinLearningRate(settings.promptLearningRate())
        .optPromptContext(settings.promptContext()).optCheckpointEvery(0)
        .optEvalEvery(Math.max(1, settings.promptSteps() / 15)).optSelectBest("prompt_tuned_accuracy")
        .optSeed(settings.seed()).optClassNames(DemoData.CLASSES).build();
    try (BatchLoader loader = trainingLoader(train, null);
        BatchLoader validation = evaluationLoader(valid);
        PromptLearner learner = djl.promptLearner(pretrained, config, false)) {
      log.printf(Locale.ROOT, "prompt   %d steps, %d context vectors initialised from '%s'%n", settings.promptSteps(),
          settings.promptContext(), TrainingConfig.DEFAULT_PROMPT_INIT);
      TrainingReport r = learner.learn(DemoData.CLASSES, new LoaderBatchSource(loader),
          new LoaderBatchSource(validation), progress("prompt", settings.promptSteps()));
      metrics.put("prompt_seconds", r.seconds());
      Path chosen = r.bestCheckpoint() != null ? r.bestCheckpoint() : r.checkpoint();
      if (r.bestCheckpoint() != null) {
        metrics.put("prompt_selected_step", trainerStep(chosen));
        metrics.put("prompt_validation_accuracy", r.bestMetrics().get("prompt_tuned_accuracy"));
        long kept = trainerStep(chosen);
        log.printf(Locale.ROOT, "prompt   kept step %d%s (validation accuracy %.3f): %s%n", kept,
            kept == 0 ? ", the initial prompt: no later step beat it" : "", r.bestMetrics().get("prompt_tuned_accuracy"),
            chosen);
      }
      return chosen;
    }
  }

  private ZeroShotResult evaluatePromptTuned(Backend djl, Path checkpoint, LoadedDataset heldOut) throws Exception {
    try (CleftModel model = djl.load(checkpoint);
        ZeroShotClassifier zs = model.promptTuned().orElseThrow(() -> new IllegalStateException(checkpoint
            + ": prompt tuning wrote no prompts"));
        BatchLoader loader = evaluationLoader(heldOut)) {
      ZeroShotResult r = ZeroShotEvaluation.evaluate(zs, new LoaderBatchSource(loader));
      putResult("prompt_tuned", r);
      log.printf(Locale.ROOT, "prompted accuracy %.3f, macro AUC %.3f on the held-out images%n", r.accuracy(),
          r.macroAuc());
      return r;
    }
  }

  /** Accuracy, macro AUC, AUC per class and the confusion matrix (rows: truth, columns: prediction). */
  private void putResult(String prefix, ZeroShotResult r) {
    metrics.put(prefix + "_accuracy", r.accuracy());
    metrics.put(prefix + "_macro_auc", r.macroAuc());
    Map<String, Double> auc = new LinkedHashMap<>();
    for (int c = 0; c < r.classNames().size(); c++) {
      auc.put(r.classNames().get(c), r.perClassAuc()[c]);
    }
    metrics.put(prefix + "_per_class_auc", auc);
    metrics.put(prefix + "_confusion", r.confusionMatrix().counts());
  }

  private Path export(Path checkpoint) throws Exception {
    long t = System.nanoTime();
    Path onnx = checkpoint.resolve("onnx");
    OnnxExporter.builder().build().export(checkpoint, onnx);
    metrics.put("onnx_export_seconds", seconds(t));
    log.printf(Locale.ROOT, "export   ONNX models in %.1f s: %s%n", seconds(t), onnx);
    return onnx;
  }

  private void compareOnnx(Backend djl, Path checkpoint, Path onnxDir, LoadedDataset heldOut) throws Exception {
    try (Backend ort = Backends.open(Capability.INFERENCE, "onnx", BackendOptions.defaults());
        CleftModel onnxModel = ort.load(checkpoint);
        CleftModel djlModel = djl.load(checkpoint);
        ZeroShotClassifier onnxClassifier = onnxModel.promptTuned().orElseThrow();
        BatchLoader loader = evaluationLoader(heldOut)) {
      OnnxComparison c = OnnxComparison.run(onnxModel, djlModel, onnxClassifier, new LoaderBatchSource(loader));
      // against the training backend (the key keeps its first name: djl was the only one)
      metrics.put("onnx_vs_djl_max_abs_diff", c.maxAbsDiff());
      metrics.put("onnx_accuracy", c.onnxAccuracy());
      metrics.put("onnx_images", c.images());
      log.printf(Locale.ROOT, "onnx     classified %d held-out images with ONNX Runtime: accuracy %.3f, max |onnx - %s| "
          + "%.2e%n", c.images(), c.onnxAccuracy(), backend, c.maxAbsDiff());
    }
  }

  private static long trainerStep(Path checkpoint) throws IOException {
    return JSON.readTree(checkpoint.resolve("trainer/state.json").toFile()).path("step").asLong();
  }

  private LoadedDataset load(Path manifest) {
    return new ManifestLoader(ManifestSpec.of("path", "report", DemoData.COLUMNS.toArray(String[]::new))).load(manifest);
  }

  private BatchLoader trainingLoader(LoadedDataset data, HfTextTokenizer tok) {
    ImagePipeline pipeline = ImagePipeline.training(new RandomResizedCrop(settings.imageSize(), 0.6, 1, 3 / 4.0, 4 / 3.0));
    BatchLoader.Builder b = BatchLoader.builder(samples(data), pipeline).optBatchSize(settings.batchSize())
        .optThreads(settings.threads()).optSeed(settings.seed()).optShuffle(true).optDropLast(true);
    if (tok != null) {
      b.optTokenizer(tok).optMaxTokens(MAX_REPORT_TOKENS);
    }
    return b.build();
  }

  private BatchLoader evaluationLoader(LoadedDataset data) {
    return BatchLoader.builder(samples(data), ImagePipeline.evaluation(settings.imageSize())).optBatchSize(50)
        .optThreads(settings.threads()).optShuffle(false).optDropLast(false).build();
  }

  private static SampleSource samples(LoadedDataset data) {
    List<Sample> out = new ArrayList<>();
    for (org.cleft.data.manifest.Sample s : data.samples()) {
      out.add(Sample.ofFile(s.image(), s.text(), s.labels()));
    }
    return SampleSource.of(out);
  }

  private TrainingListener progress(String label, long steps) {
    long every = Math.max(1, steps / 10);
    return new TrainingListener() {
      @Override
      public void onStep(long step, long total, double loss, double lr, double rate) {
        if (step % every == 0 || step == total) {
          log.printf(Locale.ROOT, "%-8s step %d/%d loss %.4f lr %.2e %.0f img/s%n", label, step, total, loss, lr, rate);
        }
      }
    };
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
