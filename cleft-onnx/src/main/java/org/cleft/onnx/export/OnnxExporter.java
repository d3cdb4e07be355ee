package org.cleft.onnx.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.model.TextFamily;
import org.cleft.model.TowerFamilies;
import org.cleft.model.VisionFamily;
import org.cleft.model.peft.PeftAdapter;

/**
 * Exports a CLEFT checkpoint's towers to ONNX, in pure Java (no Python, no native code): the image
 * encoder {@code image_encoder.onnx} ({@code pixel_values} float [B, 3, H, W] to L2-normalised
 * {@code embeds} [B, E]) and the text encoder {@code text_encoder.onnx} ({@code input_ids},
 * {@code attention_mask} int64 [B, S], right padded, to {@code embeds} [B, E]), plus the learned class
 * embeddings when the checkpoint has a prompt and an {@code export.json} with the provenance.
 *
 * <pre>{@code
 * ExportResult r = OnnxExporter.builder().imageSize(224).build().export(checkpointDir, outDir);
 * }</pre>
 *
 * <p>An exporter is an immutable value; {@link #export} may be called any number of times.
 */
public final class OnnxExporter {
  /** The default ONNX opset: the first with LayerNormalization. */
  public static final int DEFAULT_OPSET = 17;
  /** The newest opset the exporter emits (ONNX Runtime 1.23 runs it). */
  public static final int MAX_OPSET = 21;
  /** Models whose weights exceed this many bytes put them in external data by default (protobuf caps a message at 2 GiB). */
  public static final long DEFAULT_EXTERNAL_DATA_THRESHOLD = 1L << 30;
  /** The largest external-data threshold accepted: 1.5 GiB of inline weights keeps the file under protobuf's 2 GiB. */
  public static final long MAX_INLINE_BYTES = 3L << 29;

  /** Which text adapter the exporter applies. */
  public enum AdapterMode {
    /** The adapter named in {@code cleft.json} ({@code text.adapter}), if any. */
    MANIFEST,
    /** None: the plain GPT-2 tower, whatever {@code cleft.json} says. */
    NONE
  }

  private final int imageSize;
  private final int opset;
  private final AdapterMode adapterMode;
  private final Path adapterFolder;
  private final long externalDataThreshold;

  private OnnxExporter(Builder b) {
    this.imageSize = b.imageSize;
    this.opset = b.opset;
    this.adapterMode = b.adapterMode;
    this.adapterFolder = b.adapterFolder;
    this.externalDataThreshold = b.externalDataThreshold;
  }

  /**
   * A builder with the defaults: the checkpoint's image size, opset 17, the manifest's adapter.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Exports the checkpoint in {@code checkpoint} to {@code outputDir} (created if needed; files of the
   * same names are replaced). Both graphs are built, and every tensor checked, before anything is written.
   *
   * @param checkpoint a checkpoint directory ({@link CleftCheckpoint#open} reads it)
   * @param outputDir the folder to write to
   * @return what was written
   * @throws CheckpointException when the checkpoint is missing, malformed or unsupported (the message
   *     names the file and the tensor or field)
   * @throws IOException when a file cannot be read or written
   */
  public ExportResult export(Path checkpoint, Path outputDir) throws IOException {
    CleftCheckpoint ckpt = CleftCheckpoint.open(checkpoint);
    int size = imageSize(ckpt);
    Optional<CleftCheckpoint.Adapter> adapter = adapter(ckpt);
    VisionFamily visionFamily;
    TextFamily textFamily;
    try {
      visionFamily = TowerFamilies.vision(ckpt.visionConfig());
      textFamily = TowerFamilies.text(ckpt.textConfig());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(ckpt.directory() + ": " + e.getMessage(), e);
    }
    try (CheckpointTensors vision = CheckpointTensors.model(ckpt.visionDir(), visionFamily.wrapperPrefix());
        CheckpointTensors text = CheckpointTensors.model(ckpt.textDir(), textFamily.wrapperPrefix());
        CheckpointTensors heads = CheckpointTensors.file(ckpt.headsFile());
        CheckpointTensors adapterTensors = adapter.isPresent()
            ? CheckpointTensors.file(adapter.get().weights()) : null) {
      PeftAdapter peft = adapter.isPresent()
          ? PeftAdapter.read(adapter.get(), textFamily.adaptable(ckpt.textConfig()), adapterTensors.source()) : null;
      GraphBuilder image = EncoderGraphs.image(ckpt.visionConfig(), vision, heads, size, opset);
      GraphBuilder textGraph = EncoderGraphs.text(ckpt.textConfig(), text, peft, adapterTensors, heads, opset);
      float logitScale = Heads.logitScale(heads);
      Files.createDirectories(outputDir);
      ExportManifest manifest = new ExportManifest(ckpt, visionFamily, size, opset, peft, logitScale,
          Heads.dim(heads));
      List<Path> files = new ArrayList<>();
      files.addAll(write(image, outputDir.resolve(ExportManifest.IMAGE_ENCODER), manifest));
      files.addAll(write(textGraph, outputDir.resolve(ExportManifest.TEXT_ENCODER), manifest));
      int classes = ClassEmbeddings.copy(ckpt, heads, Heads.dim(heads), logitScale, outputDir, files);
      files.add(manifest.write(outputDir, files, classes));
      return new ExportResult(outputDir, files, size, opset, peft == null ? null : peft.peftType(),
          manifest.handling(), classes);
    }
  }

  private List<Path> write(GraphBuilder graph, Path file, ExportManifest manifest) throws IOException {
    boolean external = graph.weightBytes() > externalDataThreshold;
    return ModelFile.write(graph, file, external, ExportManifest.cleftVersion(), manifest.docString(file),
        manifest.modelMetadata());
  }

  /**
   * The image size an export of {@code ckpt} uses: the one set on the builder, else the checkpoint's
   * ({@link CleftCheckpoint#imageSize()}: {@code cleft.json}, a fixture's {@code fixture.json}, the vision config).
   *
   * @param ckpt an opened checkpoint
   * @return the input height and width in pixels
   * @throws CheckpointException when the size is not a positive multiple of the patch size
   */
  public int imageSize(CleftCheckpoint ckpt) throws CheckpointException {
    int size = imageSize > 0 ? imageSize : ckpt.imageSize();
    int patch = ckpt.visionConfig().patchSize();
    if (size % patch != 0) {
      throw new CheckpointException(ckpt.visionDir().resolve("config.json") + ": image size " + size
          + " is not a multiple of patch_size " + patch + " (try " + Math.max(patch, size / patch * patch) + ")");
    }
    return size;
  }

  private Optional<CleftCheckpoint.Adapter> adapter(CleftCheckpoint ckpt) throws CheckpointException {
    if (adapterFolder != null) {
      Path dir = adapterFolder.isAbsolute() ? adapterFolder : ckpt.directory().resolve(adapterFolder);
      return Optional.of(CleftCheckpoint.Adapter.read(dir));
    }
    return adapterMode == AdapterMode.NONE ? Optional.empty() : ckpt.adapter();
  }

  /** Options of an {@link OnnxExporter}; every setter validates its value. */
  public static final class Builder {
    private int imageSize;
    private int opset = DEFAULT_OPSET;
    private AdapterMode adapterMode = AdapterMode.MANIFEST;
    private Path adapterFolder;
    private long externalDataThreshold = DEFAULT_EXTERNAL_DATA_THRESHOLD;

    private Builder() {}

    /**
     * The image encoder's input height and width in pixels, a multiple of the patch size (0, the
     * default: {@code cleft.json}'s {@code vision.image_size}, else the vision config's {@code image_size}).
     *
     * @param pixels the size, or 0 for the checkpoint's
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder imageSize(int pixels) {
      if (pixels < 0) {
        throw new IllegalArgumentException("imageSize must be positive (or 0 for the checkpoint's), got " + pixels);
      }
      this.imageSize = pixels;
      return this;
    }

    /**
     * The ONNX opset, {@value OnnxExporter#DEFAULT_OPSET} (default) to {@value OnnxExporter#MAX_OPSET}.
     *
     * @param opset the opset version
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
    public Builder opset(int opset) {
      if (opset < DEFAULT_OPSET || opset > MAX_OPSET) {
        throw new IllegalArgumentException("opset must be between " + DEFAULT_OPSET + " (LayerNormalization) and "
            + MAX_OPSET + ", got " + opset);
      }
      this.opset = opset;
      return this;
    }

    /**
     * Which text adapter to apply ({@link AdapterMode#MANIFEST} by default).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder adapterMode(AdapterMode mode) {
      this.adapterMode = java.util.Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Applies the peft adapter in this folder (absolute, or relative to the checkpoint) instead of the
     * manifest's; null clears it.
     *
     * @param folder a peft adapter folder, or null
     * @return this builder
     */
    public Builder adapterFolder(Path folder) {
      this.adapterFolder = folder;
      return this;
    }

    /**
     * Weights of a model above this many bytes go to {@code <model>.onnx.data} (ONNX external data);
     * 0 always, the default {@value OnnxExporter#DEFAULT_EXTERNAL_DATA_THRESHOLD}.
     *
     * @param bytes the threshold in bytes
     * @return this builder
     * @throws IllegalArgumentException when negative or over {@value OnnxExporter#MAX_INLINE_BYTES} (a protobuf
     *     message, and so an ONNX file with inline weights, cannot exceed 2 GiB)
     */
    public Builder externalDataThreshold(long bytes) {
      if (bytes < 0 || bytes > MAX_INLINE_BYTES) {
        throw new IllegalArgumentException("externalDataThreshold must be in [0, " + MAX_INLINE_BYTES + "], got "
            + bytes);
      }
      this.externalDataThreshold = bytes;
      return this;
    }

    /**
     * The exporter.
     *
     * @return an immutable exporter with these options
     */
    public OnnxExporter build() {
      return new OnnxExporter(this);
    }
  }
}
