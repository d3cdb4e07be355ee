package org.cleft.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.cleft.api.Embeddings;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.FiniteCheck;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.cleft.data.loader.BadSamplePolicy;
import org.cleft.data.loader.ImageSource;
import org.cleft.data.loader.Sample;
import org.cleft.data.loader.SampleSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cleft embed}: image or text embeddings of a checkpoint, written to a safetensors file with the
 * source of each row in the metadata.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Encode images or texts with a checkpoint and write the L2-normalised embeddings to a safetensors "
        + "file: tensor image_embeds or text_embeds [rows, dim] (float32), metadata 'sources' (a JSON array naming "
        + "each row's image file or text, in row order), 'kind', 'model' and 'backend'."},
    footer = {"", "Examples:",
        "  cleft embed --model ckpt --images scans/ --out images.safetensors",
        "  cleft embed --model ckpt --texts captions.txt --out texts.safetensors",
        "See docs/evaluation.md."})
public final class EmbedCommand implements Callable<Integer> {
  /** Image file extensions picked up in folders. */
  static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "dcm");

  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = "Checkpoint folder (text/, vision/, heads.safetensors, optional cleft.json). Required.")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(names = "--out", required = true, paramLabel = "FILE.safetensors",
      description = "Where to write the embeddings (parent folders are created). Required.")
  Path out;

  @Option(names = "--bad-samples", paramLabel = "skip|stop", defaultValue = "skip",
      converter = SkipNotes.PolicyConverter.class,
      description = "An image that cannot be decoded: skip it (a warning naming the file and the reason; the "
          + "output's sources list the files embedded) or stop. Default: skip.")
  private BadSamplePolicy badSamples;

  @Option(names = "--fail-fast", description = "Stop at the first image that cannot be decoded (--bad-samples stop).")
  private boolean failFast;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Inputs per forward pass.")
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

  @Option(names = "--class-captions",
      description = "With --texts: each line is a class name; encode the caption the checkpoint builds for it "
          + "(its recorded template, names normalised the way the model was trained, as eval and classify do).")
  boolean classCaptions;

  @ParentCommand
  CleftCli cli;

  @Spec
  CommandSpec spec;

  /** What to encode: images or texts, exactly one. */
  static final class Input {
    @Option(names = "--images", arity = "1..*", paramLabel = "DIR_OR_FILE",
        description = "Image files, or folders searched recursively for .png, .jpg, .jpeg and .dcm files (sorted "
            + "by path). Preprocessed with the evaluation pipeline at the checkpoint's image size.")
    List<Path> images;

    @Option(names = "--texts", paramLabel = "FILE",
        description = "A UTF-8 text file, one text per line; blank lines are skipped.")
    Path texts;
  }

  /** Creates the command (picocli instantiates it). */
  public EmbedCommand() {}

  /**
   * Encodes the inputs and writes the file.
   *
   * @return 0
   * @throws IOException when an input cannot be read or the output cannot be written
   * @throws CheckpointException when the checkpoint cannot be loaded
   */
  @Override
  public Integer call() throws IOException, CheckpointException {
    if (batchSize <= 0 || threads <= 0) {
      throw new ParameterException(spec.commandLine(), "--batch-size and --threads must be positive, got "
          + batchSize + " and " + threads);
    }
    boolean images = input.images != null;
    if (images && classCaptions) {
      throw new ParameterException(spec.commandLine(), "--class-captions goes with --texts, not --images");
    }
    List<Path> files = images ? imageFiles(input.images) : List.of();
    List<String> lines = images ? List.of() : texts(input.texts);
    try (ModelSession session = ModelSession.open(model, backend, frozen.precision())) {
      List<String> texts = classCaptions
          ? new CaptionChoice(null, false).captions(session.model(), lines, cli.err()).captions() : lines;
      List<String> sources = images ? new ArrayList<>() : texts;
      Embeddings e = images ? encodeImages(session, files, sources) : encodeTexts(session, texts);
      FiniteCheck.outputs(e.data(), images ? "image embeddings" : "text embeddings", model);
      String tensor = images ? "image_embeds" : "text_embeds";
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("kind", images ? "image" : "text");
      meta.put("model", model.toAbsolutePath().normalize().toString());
      meta.put("backend", session.backendName());
      meta.put("sources", json(sources));
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      SafetensorsWriter.write(out, Map.of(tensor, Tensor.ofFloats(new long[] {e.rows(), e.dim()}, e.data())), meta);
      cli.out().printf("wrote %s [%d, %d] to %s%n", tensor, e.rows(), e.dim(), out);
    }
    return 0;
  }

  /** The images' embeddings; {@code sources} gets the file of each row (a skipped file has none). */
  private Embeddings encodeImages(ModelSession session, List<Path> files, List<String> sources) {
    SampleSource source = SampleSource.of(files.stream()
        .map(f -> new Sample(ImageSource.file(f), "", new float[0])).toList());
    float[][] rows = ImageFeatures.encode(session.model().imageEncoder(), source, session.imageSize(), batchSize,
        threads, failFast ? BadSamplePolicy.STOP : badSamples);
    List<float[]> kept = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null) {
        skipped.add(files.get(i).toString());
      } else {
        kept.add(rows[i]);
        sources.add(files.get(i).toString());
      }
    }
    if (!skipped.isEmpty()) {
      cli.err().printf("embed: skipped %d of %d images that cannot be decoded (each named above): %s%n",
          skipped.size(), files.size(), String.join(", ", skipped.subList(0, Math.min(20, skipped.size())))
              + (skipped.size() > 20 ? ", ..." : ""));
    }
    if (kept.isEmpty()) {
      throw new CliFailure("embed: none of the " + files.size() + " images could be decoded",
          "pass PNG, JPEG or DICOM files; the reasons are logged above");
    }
    return stack(kept.toArray(new float[0][]), session.model().imageEncoder().embeddingDim());
  }

  private Embeddings encodeTexts(ModelSession session, List<String> texts) {
    float[][] rows = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += batchSize) {
      List<String> chunk = texts.subList(from, Math.min(texts.size(), from + batchSize));
      Embeddings e = session.model().textEncoder().encodeTexts(chunk);
      for (int i = 0; i < chunk.size(); i++) {
        rows[from + i] = e.row(i);
      }
    }
    return stack(rows, session.model().textEncoder().embeddingDim());
  }

  private static Embeddings stack(float[][] rows, int dim) {
    float[] data = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, data, i * dim, dim);
    }
    return new Embeddings(data, rows.length, dim);
  }

  /** The image files named or found under the named folders, folders' contents sorted by path. */
  static List<Path> imageFiles(List<Path> args) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : args) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).filter(EmbedCommand::isImage).sorted().forEach(files::add);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new CliFailure(p + ": no such image file or folder", "pass --images existing files or folders");
      }
    }
    if (files.isEmpty()) {
      throw new CliFailure("no .png, .jpg, .jpeg or .dcm file found in " + args,
          "pass --images image files or folders that hold some");
    }
    return files;
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1));
  }

  private static List<String> texts(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CliFailure(file + ": text file not found", "pass --texts a UTF-8 file with one text per line");
    }
    List<String> texts = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
    if (texts.isEmpty()) {
      throw new CliFailure(file + ": no text in the file", "write one text per line");
    }
    return texts;
  }

  private static String json(List<String> values) {
    try {
      return new ObjectMapper().writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the sources as JSON: " + e.getMessage(), e);
    }
  }
}
