package org.cleft.api.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.cleft.api.CaptionStyle;

/**
 * The {@code cleft.json} of a checkpoint: which folders and files make the model, how features are
 * pooled, the learned prompt settings and where the checkpoint came from. Every field has a
 * default so that a plain layout (like the HuggingFace reference fixture) needs no {@code cleft.json}.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion version of this layout ({@value #VERSION})
 * @param text the text tower
 * @param vision the image tower
 * @param heads the safetensors file with {@code image_projection.*}, {@code text_projection.*}, {@code logit_scale}
 * @param prompt learned context prompts, or null
 * @param provenance where the checkpoint came from
 * @param captions how the model's captions were built at training time, or null when not recorded
 *     (HF-converted and the authors' checkpoints; {@link CleftCheckpoint#captionStyle()} then gives the
 *     reference default)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CleftManifest(String format, @JsonProperty("format_version") int formatVersion, Text text,
    Vision vision, String heads, Prompt prompt, Map<String, Object> provenance, CaptionStyle captions) {

  /** The value of {@link #format()}. */
  public static final String FORMAT = "cleft-checkpoint";
  /** The current layout version. */
  public static final int VERSION = 1;
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Fills defaults.
   *
   * @param format always {@value #FORMAT}
   * @param formatVersion version of this layout ({@value #VERSION})
   * @param text the text tower
   * @param vision the image tower
   * @param heads the safetensors file with {@code image_projection.*}, {@code text_projection.*},
   *     {@code logit_scale}
   * @param prompt learned context prompts, or null
   * @param provenance where the checkpoint came from
   * @param captions how the model's captions were built at training time, or null when not recorded
   */
  public CleftManifest {
    format = format == null ? FORMAT : format;
    formatVersion = formatVersion == 0 ? VERSION : formatVersion;
    text = text == null ? Text.defaults() : text;
    vision = vision == null ? Vision.defaults() : vision;
    heads = heads == null ? "heads.safetensors" : heads;
    provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
  }

  /**
   * A manifest without a caption record.
   *
   * @param format always {@value #FORMAT}
   * @param formatVersion version of this layout ({@value #VERSION})
   * @param text the text tower
   * @param vision the image tower
   * @param heads the safetensors file with {@code image_projection.*}, {@code text_projection.*},
   *     {@code logit_scale}
   * @param prompt learned context prompts, or null
   * @param provenance where the checkpoint came from
   */
  public CleftManifest(String format, int formatVersion, Text text, Vision vision, String heads, Prompt prompt,
      Map<String, Object> provenance) {
    this(format, formatVersion, text, vision, heads, prompt, provenance, null);
  }

  /** {@return the manifest a checkpoint without {@code cleft.json} is read with} */
  public static CleftManifest defaults() {
    return new CleftManifest(null, 0, null, null, null, null, null, null);
  }

  /**
   * The text tower.
   *
   * @param path folder of the HF model, relative to the checkpoint
   * @param adapter folder of the peft adapter applied to it, or null for none
   * @param pooling {@code last_token}: the hidden state of the last non-pad token
   * @param maxLength longest token sequence used when encoding texts (0: the model's {@code n_positions})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Text(String path, String adapter, String pooling, @JsonProperty("max_length") int maxLength) {
    /**
     * Fills defaults.
     *
     * @param path folder of the HF model, relative to the checkpoint
     * @param adapter folder of the peft adapter applied to it, or null for none
     * @param pooling {@code last_token}: the hidden state of the last non-pad token
     * @param maxLength longest token sequence used when encoding texts (0: the model's {@code n_positions})
     */
    public Text {
      path = path == null ? "text" : path;
      pooling = pooling == null ? "last_token" : pooling;
    }

    static Text defaults() {
      return new Text(null, null, null, 0);
    }
  }

  /**
   * The image tower.
   *
   * @param path folder of the HF model, relative to the checkpoint
   * @param pooling {@code mean_prenorm}: mean of all tokens of the last block before the final norm
   * @param imageSize the input size images are preprocessed to (0: the config's {@code image_size})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Vision(String path, String pooling, @JsonProperty("image_size") int imageSize) {
    /**
     * Fills defaults.
     *
     * @param path folder of the HF model, relative to the checkpoint
     * @param pooling {@code mean_prenorm}: mean of all tokens of the last block before the final norm
     * @param imageSize the input size images are preprocessed to (0: the config's {@code image_size})
     */
    public Vision {
      path = path == null ? "vision" : path;
      pooling = pooling == null ? "mean_prenorm" : pooling;
    }

    static Vision defaults() {
      return new Vision(null, null, 0);
    }
  }

  /**
   * Learned context prompts (CLEFT stage 2).
   *
   * @param path safetensors file holding {@code ctx} [n_ctx, width] and {@code class_embeds} [classes, dim]
   * @param nCtx number of context vectors
   * @param initText the text the context was initialised from, or null for random
   * @param classNames the classes, in order
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prompt(String path, @JsonProperty("n_ctx") int nCtx, @JsonProperty("init_text") String initText,
      @JsonProperty("class_names") List<String> classNames) {
    /**
     * Copies the class names.
     *
     * @param path safetensors file holding {@code ctx} [n_ctx, width] and {@code class_embeds} [classes, dim]
     * @param nCtx number of context vectors
     * @param initText the text the context was initialised from, or null for random
     * @param classNames the classes, in order
     */
    public Prompt {
      classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }
  }

  /**
   * Reads a {@code cleft.json}.
   *
   * @param file the {@code cleft.json} to read
   * @return the manifest, with defaults filled in
   * @throws CheckpointException when the file cannot be read, is malformed, or has a newer format version
   */
  public static CleftManifest read(Path file) throws CheckpointException {
    try {
      CleftManifest m = MAPPER.readValue(Files.readString(file), CleftManifest.class);
      if (!FORMAT.equals(m.format())) {
        throw new CheckpointException(file + ": field 'format' must be '" + FORMAT + "', got '" + m.format() + "'");
      }
      if (m.formatVersion() > VERSION) {
        throw new CheckpointException(file + ": format_version " + m.formatVersion()
            + " is newer than this cleft understands (" + VERSION + ")");
      }
      return m;
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read cleft.json: " + e.getMessage(), e);
    }
  }

  /**
   * Writes this manifest atomically (temp file, then rename).
   *
   * @param file where to write
   * @throws IOException when the file cannot be written
   */
  public void write(Path file) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".cleft", ".json.tmp");
    try {
      Files.writeString(tmp, MAPPER.writeValueAsString(this));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * {@return this manifest with another text adapter folder (null for none)}
   *
   * @param adapter the adapter folder, relative to the checkpoint, or null
   */
  public CleftManifest withAdapter(String adapter) {
    return new CleftManifest(format, formatVersion, new Text(text.path(), adapter, text.pooling(), text.maxLength()),
        vision, heads, prompt, provenance, captions);
  }

  /**
   * {@return this manifest with other prompt settings}
   *
   * @param newPrompt the prompt settings, or null for none
   */
  public CleftManifest withPrompt(Prompt newPrompt) {
    return new CleftManifest(format, formatVersion, text, vision, heads, newPrompt, provenance, captions);
  }

  /**
   * {@return this manifest with other provenance}
   *
   * @param newProvenance the provenance entries
   */
  public CleftManifest withProvenance(Map<String, Object> newProvenance) {
    return new CleftManifest(format, formatVersion, text, vision, heads, prompt, newProvenance, captions);
  }

  /**
   * {@return this manifest with another caption record}
   *
   * @param newCaptions how the model's captions were built, or null for none recorded
   */
  public CleftManifest withCaptions(CaptionStyle newCaptions) {
    return new CleftManifest(format, formatVersion, text, vision, heads, prompt, provenance, newCaptions);
  }
}
