package org.cleft.onnx.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.model.VisionFamily;
import org.cleft.model.peft.PeftAdapter;

/**
 * The provenance of an export, written as {@value #FILE} next to the models (and, in short, as each
 * model's {@code metadata_props}): the source checkpoint, image size, opset, how the adapter was
 * applied, the embedding width, {@code logit_scale}, the text length limit and the cleft version.
 */
final class ExportManifest {
  /** The provenance file. */
  static final String FILE = "export.json";
  /** The image encoder's file name. */
  static final String IMAGE_ENCODER = "image_encoder.onnx";
  /** The text encoder's file name. */
  static final String TEXT_ENCODER = "text_encoder.onnx";
  /** The value of {@code format} in {@value #FILE}. */
  static final String FORMAT = "cleft-onnx-export";

  private final CleftCheckpoint ckpt;
  private final VisionFamily visionFamily;
  private final int imageSize;
  private final int opset;
  private final PeftAdapter adapter;
  private final float logitScale;
  private final int dim;

  ExportManifest(CleftCheckpoint ckpt, VisionFamily visionFamily, int imageSize, int opset, PeftAdapter adapter,
      float logitScale, int dim) {
    this.ckpt = ckpt;
    this.visionFamily = visionFamily;
    this.imageSize = imageSize;
    this.opset = opset;
    this.adapter = adapter;
    this.logitScale = logitScale;
    this.dim = dim;
  }

  /** The version of cleft this exporter belongs to, from the build-filtered {@code version.properties}. */
  static String cleftVersion() {
    try (InputStream in = ExportManifest.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The model's {@code doc_string}. */
  String docString(Path file) {
    return "CLEFT " + (file.getFileName().toString().startsWith("image") ? "image" : "text")
        + " encoder exported by cleft " + cleftVersion() + " from " + source() + "; see " + FILE;
  }

  /** The models' {@code metadata_props}. */
  Map<String, String> modelMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cleft.version", cleftVersion());
    m.put("cleft.source_checkpoint", source());
    m.put("cleft.image_size", Integer.toString(imageSize));
    m.put("cleft.embedding_dim", Integer.toString(dim));
    m.put("cleft.logit_scale", Float.toString(logitScale));
    m.put("cleft.adapter", adapter == null ? "none" : adapter.peftType() + " " + handling());
    return m;
  }

  private String source() {
    return ckpt.directory().toAbsolutePath().normalize().toString();
  }

  /** How the adapter is carried: {@code none}, or the adapter's {@link PeftAdapter.Deployment#label()}. */
  String handling() {
    return adapter == null ? "none" : adapter.deployment().label();
  }

  /**
   * Writes {@value #FILE} into {@code outputDir} (atomically).
   *
   * @param files the files written so far
   * @param classes number of class embeddings copied
   * @return the file written
   */
  Path write(Path outputDir, List<Path> files, int classes) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("format_version", 1);
    m.put("cleft_version", cleftVersion());
    m.put("created", Instant.now().toString());
    m.put("source_checkpoint", source());
    m.put("opset", opset);
    m.put("ir_version", ModelFile.irVersion(opset));
    m.put("embedding_dim", dim);
    m.put("logit_scale", logitScale);
    m.put("image_encoder", image(files));
    m.put("text_encoder", text(files));
    if (classes > 0) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("file", ClassEmbeddings.FILE);
      c.put("classes", classes);
      c.put("class_names", ckpt.manifest().prompt().classNames());
      m.put("class_embeds", c);
    }
    Path out = outputDir.resolve(FILE);
    Path tmp = outputDir.resolve(FILE + ".tmp");
    Files.writeString(tmp, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return out;
  }

  private Map<String, Object> image(List<Path> files) {
    VisionConfig v = ckpt.visionConfig();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", IMAGE_ENCODER);
    m.put("external_data", hasData(files, IMAGE_ENCODER));
    m.put("inputs", Map.of("pixel_values", "float32 [batch, " + v.numChannels() + ", " + imageSize + ", "
        + imageSize + "]"));
    m.put("outputs", Map.of("embeds", "float32 [batch, " + dim + "], L2-normalised"));
    m.put("image_size", imageSize);
    m.putAll(visionFamily.describe(v, imageSize));
    m.put("pooling", ckpt.manifest().vision().pooling());
    return m;
  }

  private Map<String, Object> text(List<Path> files) {
    TextConfig t = ckpt.textConfig();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", TEXT_ENCODER);
    m.put("external_data", hasData(files, TEXT_ENCODER));
    m.put("inputs", Map.of("input_ids", "int64 [batch, sequence]", "attention_mask",
        "int64 [batch, sequence], 1 for tokens, 0 for right padding"));
    m.put("outputs", Map.of("embeds", "float32 [batch, " + dim + "], L2-normalised"));
    int prefix = adapter == null ? 0 : adapter.prefixLength();
    m.put("max_length", t.maxPositions() - prefix);
    m.put("pad_token_id", t.effectivePadId());
    m.put("pooling", ckpt.manifest().text().pooling());
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("peft_type", adapter == null ? "none" : adapter.peftType());
    a.put("handling", handling());
    if (adapter != null) {
      a.put("folder", adapter.folder().toAbsolutePath().normalize().toString());
    }
    if (prefix > 0) {
      a.put("virtual_tokens", prefix);
    }
    m.put("adapter", a);
    return m;
  }

  private static boolean hasData(List<Path> files, String model) {
    return files.stream().anyMatch(f -> f.getFileName().toString().equals(model + ".data"));
  }
}
