package org.cleft.examples.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CaptionStyle;
import org.cleft.api.Classification;
import org.cleft.api.CleftModel;
import org.cleft.api.Device;
import org.cleft.api.ImageBatch;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.NoSuitableBackendException;
import org.cleft.data.image.ImageDecodeException;
import org.cleft.data.dicom.DicomFormatException;
import org.cleft.data.dicom.UnsupportedTransferSyntaxException;
import org.cleft.data.files.ImageFiles;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.ImageTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cleft classify}: zero-shot classification of image files with a CLEFT checkpoint, printing
 * each class's probability per image (a table, or JSON with {@code --json}).
 */
@Command(name = "classify", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Classify PNG, JPEG or DICOM images with a CLEFT checkpoint and print each class's probability per image.",
        "Classes: --classes with --template, or, without --classes, the learned prompts the checkpoint holds "
            + "(cleft.json 'prompt'). Images are decoded to grey and preprocessed like the reference evaluation "
            + "(resize and pad, Otsu crop, resize, centre crop, [-1, 1]) at the tower's input size."},
    footer = {"", "Examples:",
        "  cleft classify --model CKPT --classes atelectasis,edema,cardiomegaly xray1.png xray2.png",
        "  cleft classify --model CKPT --backend djl --json xray.png",
        "See docs/backends.md."})
public final class ClassifyCommand implements Callable<Integer> {
  /** The backends {@code classify} can use. */
  static final List<String> BACKENDS = List.of("onnx", "djl", "tf");
  /** The default caption template (the reference prompt). */
  static final String DEFAULT_TEMPLATE = CaptionStyle.DEFAULT_TEMPLATE;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "CLEFT checkpoint directory (text/, vision/, heads.safetensors; for --backend onnx also "
          + "onnx/image_encoder.onnx and onnx/text_encoder.onnx). Required.")
  private Path model;

  @Mixin
  private FrozenDtype frozen;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "onnx",
      description = "Backend that runs the model: onnx (ONNX Runtime, the exported graphs in DIR/onnx), djl "
          + "(libtorch through DJL, the safetensors weights) or tf (TensorFlow Java, the safetensors weights). "
          + "classify defaults to onnx because it is the deployment command and ONNX Runtime its fastest engine "
          + "(docs/performance.md); embed and eval default to djl, which needs no export.")
  private String backend;

  @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
      description = "Where to run: cpu, auto (CUDA device 0 when usable, else the CPU with a warning) or cuda:N.")
  private String device;

  @Option(names = "--classes", paramLabel = "A,B,C", split = ",",
      description = "Class names, comma separated. Default: the checkpoint's learned prompt classes.")
  private List<String> classes;

  @Option(names = "--template", paramLabel = "TEXT", showDefaultValue = Visibility.NEVER,
      description = CaptionChoice.TEMPLATE_HELP + " Used with --classes only.")
  private String template;

  @Option(names = "--raw-classes", description = CaptionChoice.RAW_HELP)
  private boolean rawClasses;

  @Option(names = "--image-size", paramLabel = "PX", defaultValue = "0",
      description = "Side of the square images given to the tower. 0: cleft.json's vision image_size, else the "
          + "size the ONNX graph was exported for, else the vision config's image_size.")
  private int imageSize;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
      description = "Images encoded per call.")
  private int batchSize;

  @Option(names = "--fail-fast", description = "Stop at the first image that cannot be decoded. Default: skip it, "
      + "naming it and the reason on standard error, and classify the others.")
  private boolean failFast;

  @Option(names = "--json", description = "Print one JSON document (class order, probabilities, prediction per "
      + "image) instead of the default table (classes most probable first).")
  private boolean json;

  @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "PNG, JPEG or DICOM files to classify (told apart by their bytes).")
  private List<Path> images;

  @ParentCommand
  private CleftCli cli;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public ClassifyCommand() {}

  /**
   * Classifies the images.
   *
   * @return 0 on success
   * @throws CheckpointException when the checkpoint cannot be loaded
   */
  @Override
  public Integer call() throws CheckpointException {
    BackendOptions options = validate();
    CleftCheckpoint.open(model); // a malformed checkpoint is refused before an engine starts
    try (Backend engine = open(options); CleftModel loaded = load(engine)) {
      int size = imageSize > 0 ? imageSize : loaded.imageSize();
      List<Path> decoded = new ArrayList<>();
      Map<Path, String> skipped = new LinkedHashMap<>();
      List<ImageTensor> tensors = preprocess(size, decoded, skipped);
      try (ZeroShotClassifier classifier = classifier(loaded)) {
        List<float[]> probabilities = classify(classifier, tensors, size);
        ClassifyReport report = new ClassifyReport(backend, model, classifier.classNames(),
            classes == null ? "prompt-tuned" : "captions", decoded, probabilities, skipped);
        cli.out().print(json ? report.json() : report.table());
        cli.out().flush();
      }
    }
    return 0;
  }

  private BackendOptions validate() {
    if (!BACKENDS.contains(backend)) {
      throw new ParameterException(spec.commandLine(), "unknown backend '" + backend + "'; available: "
          + String.join(", ", BACKENDS));
    }
    if (batchSize <= 0) {
      throw new ParameterException(spec.commandLine(), "--batch-size must be positive, got " + batchSize);
    }
    if (imageSize < 0) {
      throw new ParameterException(spec.commandLine(), "--image-size must be positive (or 0 for the "
          + "checkpoint's size), got " + imageSize);
    }
    if (classes != null) {
      classes = classes.stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
      if (classes.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--classes needs at least one class name");
      }
      if (template != null && !template.contains("{}")) {
        throw new ParameterException(spec.commandLine(), "--template '" + template + "' has no {} for the "
            + "class name");
      }
    }
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new CliFailure(image + ": image file not found", "pass PNG, JPEG or DICOM files that exist");
      }
    }
    try {
      return BackendOptions.defaults().withDevice(Device.parse(device)).withFrozenWeights(frozen.precision());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
  }

  private Backend open(BackendOptions options) {
    try {
      return Backends.open(Capability.INFERENCE, backend, options);
    } catch (NoSuitableBackendException e) {
      throw new CliFailure(e.getMessage(), "the " + backend + " backend is not on the class path");
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new CliFailure(e.getMessage(), "use --device cpu, or set up CUDA as docs/backends.md describes", e);
    }
  }

  private CleftModel load(Backend engine) throws CheckpointException {
    try {
      return engine.load(model);
    } catch (CheckpointException e) {
      // the graphs are what an exported checkpoint adds; other files get ErrorReporter's checkpoint hint
      if (backend.equals("onnx") && String.valueOf(e.getMessage()).contains(".onnx")) {
        throw new CliFailure(e.getMessage(), "the onnx backend needs DIR/onnx/image_encoder.onnx and "
            + "text_encoder.onnx (write them with 'cleft export'), or use --backend djl", e);
      }
      throw e;
    }
  }

  /** The decoded images' tensors; {@code decoded} gets their files, {@code skipped} the others with the reason. */
  private List<ImageTensor> preprocess(int size, List<Path> decoded, Map<Path, String> skipped) {
    ImageFiles decoder = new ImageFiles(); // PNG, JPEG and DICOM, told apart by their bytes
    ImagePipeline pipeline = ImagePipeline.evaluation(size);
    List<ImageTensor> out = new ArrayList<>();
    for (Path image : images) {
      try {
        // the evaluation pipeline draws no random numbers; the generator only satisfies the signature
        out.add(pipeline.apply(decoder.apply(image), new SplittableRandom(0)));
        decoded.add(image);
      } catch (ImageDecodeException | UncheckedIOException | DicomFormatException
          | UnsupportedTransferSyntaxException e) {
        if (failFast) {
          throw new CliFailure(image + ": cannot decode: " + e.getMessage(), "pass PNG, JPEG or DICOM files", e);
        }
        skipped.put(image, e.getMessage());
        cli.err().println("classify: skipping " + image + ": " + e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw new CliFailure("none of the " + images.size() + " images could be decoded (each named above)",
          "pass PNG, JPEG or DICOM files");
    }
    if (!skipped.isEmpty()) {
      cli.err().printf("classify: skipped %d of %d images that cannot be decoded (--fail-fast to stop instead)%n",
          skipped.size(), images.size());
    }
    return out;
  }

  private ZeroShotClassifier classifier(CleftModel loaded) {
    if (classes != null) {
      return new CaptionChoice(template, rawClasses).classifier(loaded, classes, cli.err());
    }
    Optional<ZeroShotClassifier> tuned = loaded.promptTuned();
    if (tuned.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no --classes given and " + model + " has no learned "
          + "prompts (cleft.json 'prompt'); pass --classes a,b,c");
    }
    return tuned.get();
  }

  private List<float[]> classify(ZeroShotClassifier classifier, List<ImageTensor> tensors, int size) {
    List<float[]> out = new ArrayList<>();
    for (int from = 0; from < tensors.size(); from += batchSize) {
      List<ImageTensor> chunk = tensors.subList(from, Math.min(tensors.size(), from + batchSize));
      try {
        Classification c = classifier.classify(batch(chunk));
        out.addAll(List.of(c.probabilities()));
      } catch (IllegalArgumentException e) {
        throw new CliFailure(e.getMessage(), "pass --image-size with the size the model takes (now " + size + ")",
            e);
      }
    }
    return out;
  }

  private static ImageBatch batch(List<ImageTensor> chunk) {
    ImageTensor first = chunk.get(0);
    int per = first.data().length;
    float[] pixels = new float[per * chunk.size()];
    for (int i = 0; i < chunk.size(); i++) {
      System.arraycopy(chunk.get(i).data(), 0, pixels, i * per, per);
    }
    return new ImageBatch(pixels, chunk.size(), first.channels(), first.height(), first.width());
  }
}
