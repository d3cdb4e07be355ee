package org.cleft.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cleft.api.CaptionStyle;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.eval.ZeroShotEvaluation;
import org.cleft.api.eval.ZeroShotResult;
import org.cleft.data.dataset.EmbedTask;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.LoaderBatchSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cleft eval}: zero-shot classification of a labelled data set (accuracy, macro AUC, per-class AUC,
 * confusion matrix), optionally linear probing of the frozen image features, with a JSON report and charts.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Zero-shot evaluation of a checkpoint on a labelled data set: accuracy (the highest-scoring "
        + "class is a positive of the image; images without a positive are left out), macro and per-class "
        + "one-vs-rest ROC AUC, and the confusion matrix. With --linear-probe, also trains a logistic regression "
        + "on the frozen image embeddings of --train-manifest and tests it on the evaluation data.",
        "Give the data as --manifest CSV, or as --dataset chexpert|rsna|embed with --data PATH."},
    footer = {"", "Examples:",
        "  cleft eval --model ckpt --dataset chexpert --data valid.csv --json eval.json",
        "  cleft eval --model ckpt --manifest valid.csv --linear-probe 0.01,0.1,1 \\",
        "      --train-manifest train.csv --charts charts/",
        "See docs/evaluation.md."})
public final class EvalCommand implements Callable<Integer> {
  /** The caption template of the CLEFT paper. */
  static final String DEFAULT_TEMPLATE = CaptionStyle.DEFAULT_TEMPLATE;

  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = "Checkpoint folder (text/, vision/, heads.safetensors, optional cleft.json). Required.")
  Path model;

  @Option(names = "--manifest", paramLabel = "CSV",
      description = "Evaluation manifest: CSV or JSONL with an image path column (--image-column), a report column "
          + "(--text-column) and one 0/1 column per class (--classes). Paths are relative to the file's folder.")
  Path manifest;

  @Option(names = "--dataset", paramLabel = "KIND",
      description = "A known data set instead of --manifest: chexpert (a CheXpert-format CSV, or a folder with "
          + "valid.csv), rsna (the folder with stage_2_train_labels.csv and stage_2_train_images/; classes "
          + "'No Finding' and 'Pneumonia'), embed (the folder with " + EvalData.EMBED_METADATA + " and "
          + EvalData.EMBED_CLINICAL + ").")
  String dataset;

  @Option(names = "--data", paramLabel = "PATH", description = "Where the --dataset lives (see --dataset).")
  Path data;

  @Option(names = "--classes", split = ",", paramLabel = "NAME", showDefaultValue = Visibility.NEVER,
      description = "Comma-separated classes. For --manifest and chexpert: the label columns, in order (default: "
          + "the CheXpert five, Atelectasis,Cardiomegaly,Consolidation,Edema,Pleural Effusion). For rsna and embed: "
          + "new names for the fixed classes (same count). The names go into the prompts.")
  List<String> classes = new ArrayList<>();

  @Option(names = "--template", paramLabel = "TEXT", showDefaultValue = Visibility.NEVER,
      description = CaptionChoice.TEMPLATE_HELP)
  String template;

  @Option(names = "--raw-classes", description = CaptionChoice.RAW_HELP)
  boolean rawClasses;

  @Option(names = "--prompt-tuned",
      description = "Use the learned context prompts saved in the checkpoint instead of --template; their classes "
          + "must be the data set's, in the same order.")
  boolean promptTuned;

  @Option(names = "--linear-probe", split = ",", paramLabel = "FRACTION", showDefaultValue = Visibility.NEVER,
      description = "Also run linear probing with these fractions of the training labels, e.g. 0.01,0.1,1 "
          + "(each in (0, 1]; stratified, at least one image per class). Needs --train-manifest. Default: no probe.")
  List<Double> probeFractions = new ArrayList<>();

  @Option(names = {"--train-manifest", "--train-data"}, paramLabel = "PATH",
      description = "Linear-probe training data, read like the evaluation data (a manifest for --manifest, a "
          + "--dataset path otherwise). Images with exactly one positive class are used.")
  Path trainData;

  @Option(names = "--probe-l2", paramLabel = "L2", defaultValue = "1e-4",
      description = "Weight penalty of the linear probe (on the mean cross-entropy).")
  double probeL2;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of the linear probe's fraction selection.")
  long seed;

  @Option(names = "--image-column", paramLabel = "NAME", defaultValue = "path",
      description = "Manifest column holding the image path.")
  String imageColumn;

  @Option(names = "--text-column", paramLabel = "NAME", defaultValue = "report",
      description = "Manifest column holding the report (rows with an empty report are skipped).")
  String textColumn;

  @Option(names = "--embed-task", paramLabel = "TASK", defaultValue = "DENSITY",
      description = "EMBED target: DENSITY (4 classes) or BIRADS (7 classes).")
  EmbedTask embedTask;

  @Option(names = "--embed-path-prefix", paramLabel = "PREFIX", defaultValue = "", showDefaultValue = Visibility.NEVER,
      description = "Prefix of EMBED's anon_dicom_path to replace by --data (e.g. /mnt/NAS2/mammo/anon_dicom/). "
          + "Default: none (relative paths resolve against --data).")
  String embedPathPrefix;

  @Option(names = "--bad-samples", paramLabel = "skip|stop", defaultValue = "skip",
      converter = SkipNotes.PolicyConverter.class,
      description = "An image that does not decode: leave it out of the zero-shot evaluation (a warning naming it, "
          + "listed at the end) or stop. Default: skip. The linear probe always stops.")
  org.cleft.data.loader.BadSamplePolicy badSamples;

  @Option(names = "--fail-fast", description = "Stop at the first image that cannot be decoded (--bad-samples stop).")
  boolean failFast;

  @Option(names = "--json", paramLabel = "OUT", description = "Also write the results to this JSON file.")
  Path json;

  @Option(names = "--charts", paramLabel = "DIR",
      description = "Also write roc.png and confusion.png (zero-shot) to this folder.")
  Path charts;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Images per forward pass.")
  int batchSize;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Image loading threads.")
  int threads;

  @Mixin
  private FrozenDtype frozen;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Inference backend, resolved among the backends on the class path (djl: libtorch; onnx: ONNX "
          + "Runtime, the graphs in DIR/onnx; tf: TensorFlow Java). djl by default: it reads the checkpoint as "
          + "trained, with no export (classify, the deployment command, defaults to onnx).")
  String backend;

  @ParentCommand
  CleftCli cli;

  @Spec
  CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public EvalCommand() {}

  /**
   * Runs the evaluation and prints the report.
   *
   * @return 0
   * @throws IOException when a report file cannot be written
   * @throws CheckpointException when the checkpoint cannot be loaded
   */
  @Override
  public Integer call() throws IOException, CheckpointException {
    EvalData.Request request = validate();
    EvalData test = EvalData.load(request);
    if (test.size() == 0) {
      throw new CliFailure(test.description() + ": no usable images (" + test.dataset().skips().count()
          + " rows skipped)", "run 'cleft data inspect' on it to see why rows are skipped");
    }
    SkipNotes.rows(cli.err(), test.description(), test.dataset());
    EvalReport report = new EvalReport(cli.out(), test, model);
    try (ModelSession session = ModelSession.open(model, backend, frozen.precision())) {
      report.header(session.backendName(), promptTuned, captions().resolvedTemplate(session.model()));
      ZeroShotResult zeroShot = zeroShot(session, test);
      report.zeroShot(zeroShot);
      if (!probeFractions.isEmpty()) {
        EvalData train = EvalData.load(new EvalData.Request(request.kind(), trainData, classes, imageColumn,
            textColumn, embedTask, embedPathPrefix));
        report.probes(new ProbeRun(session, batchSize, threads, probeL2, seed).run(train, test, probeFractions));
      }
    }
    if (charts != null) {
      report.charts(charts);
    }
    if (json != null) {
      report.writeJson(json);
    }
    return 0;
  }

  private ZeroShotResult zeroShot(ModelSession session, EvalData test) {
    ZeroShotClassifier classifier = classifier(session, test.classNames());
    try (classifier; BatchLoader loader = ImageFeatures.loader(test.samples(), session.imageSize(), batchSize, threads,
        failFast ? org.cleft.data.loader.BadSamplePolicy.STOP : badSamples)) {
      ZeroShotResult result = ZeroShotEvaluation.evaluate(classifier, new LoaderBatchSource(loader));
      SkipNotes.images(cli.err(), test.description(), loader);
      return result;
    }
  }

  private ZeroShotClassifier classifier(ModelSession session, List<String> names) {
    if (!promptTuned) {
      return captions().classifier(session.model(), names, cli.err());
    }
    ZeroShotClassifier tuned = session.model().promptTuned().orElseThrow(() -> new CliFailure(model
        + ": the checkpoint has no learned prompts", "train them with 'cleft prompt-tune', or leave --prompt-tuned out"));
    if (!session.model().captionStyle().sameClasses(tuned.classNames(), names)) {
      tuned.close();
      throw new CliFailure("the checkpoint's prompts are for " + tuned.classNames() + " but the data set's classes are "
          + names, "pass --classes in the prompts' order, or leave --prompt-tuned out");
    }
    return tuned;
  }

  private EvalData.Request validate() {
    boolean named = dataset != null;
    if (named == (manifest != null)) {
      throw usage("give either --manifest CSV or --dataset KIND --data PATH");
    }
    if (named && !EvalData.KINDS.contains(dataset.toLowerCase(Locale.ROOT))) {
      throw usage("unknown --dataset '" + dataset + "'; known: " + String.join(", ", EvalData.KINDS));
    }
    if (named && data == null) {
      throw usage("--dataset " + dataset + " needs --data PATH");
    }
    if (template != null && !template.contains("{}")) {
      throw usage("--template '" + template + "' has no {} for the class name");
    }
    if (batchSize <= 0 || threads <= 0) {
      throw usage("--batch-size and --threads must be positive, got " + batchSize + " and " + threads);
    }
    for (double f : probeFractions) {
      if (!(f > 0 && f <= 1)) {
        throw usage("--linear-probe fractions must be in (0, 1], got " + f);
      }
    }
    if (!probeFractions.isEmpty() && trainData == null) {
      throw usage("--linear-probe needs --train-manifest PATH (the probe's training data)");
    }
    if (!(probeL2 >= 0)) {
      throw usage("--probe-l2 must be >= 0, got " + probeL2);
    }
    String kind = named ? dataset.toLowerCase(Locale.ROOT) : "manifest";
    return new EvalData.Request(kind, named ? data : manifest, classes, imageColumn, textColumn, embedTask,
        embedPathPrefix);
  }

  private CaptionChoice captions() {
    return new CaptionChoice(template, rawClasses);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
