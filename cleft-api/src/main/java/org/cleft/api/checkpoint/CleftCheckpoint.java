package org.cleft.api.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.cleft.api.CaptionStyle;

/**
 * The on-disk layout of a CLEFT checkpoint: plain HuggingFace model folders for the towers
 * ({@code text/}, {@code vision/}), peft adapter folders, {@code heads.safetensors}, and an optional
 * {@code cleft.json} ({@link CleftManifest}). Opening checks that the parts exist and reads the
 * configs; tensors are read by the backends.
 *
 * @param directory the checkpoint directory
 * @param manifest the manifest ({@link CleftManifest#defaults()} when there is no {@code cleft.json})
 * @param textConfig the text tower's config
 * @param visionConfig the image tower's config
 * @param adapter the text adapter named by the manifest, if any
 */
public record CleftCheckpoint(Path directory, CleftManifest manifest, TextConfig textConfig,
    VisionConfig visionConfig, Optional<Adapter> adapter) {

  /** The manifest file name. */
  public static final String MANIFEST = "cleft.json";

  /**
   * A peft adapter folder.
   *
   * @param directory the folder with {@code adapter_config.json} and {@code adapter_model.safetensors}
   * @param config its config
   */
  public record Adapter(Path directory, PeftConfig config) {
    /** {@return the adapter weights file} */
    public Path weights() {
      return directory.resolve("adapter_model.safetensors");
    }

    /**
     * Reads an adapter folder, checking both files exist.
     *
     * @param directory the adapter folder
     * @return the adapter's config and weights file
     * @throws CheckpointException when {@code adapter_config.json} or the weights file is missing or
     *     malformed
     */
    public static Adapter read(Path directory) throws CheckpointException {
      PeftConfig config = PeftConfig.read(directory.resolve("adapter_config.json"));
      Path weights = directory.resolve("adapter_model.safetensors");
      if (!Files.isRegularFile(weights)) {
        throw new CheckpointException(weights + ": adapter weights not found");
      }
      return new Adapter(directory, config);
    }
  }

  /**
   * Opens a checkpoint directory.
   *
   * @param directory the checkpoint directory
   * @return the opened checkpoint
   * @throws CheckpointException naming the missing or malformed file
   */
  public static CleftCheckpoint open(Path directory) throws CheckpointException {
    if (!Files.isDirectory(directory)) {
      throw new CheckpointException(directory + ": checkpoint directory not found");
    }
    checkFixtureJson(directory);
    Path manifestFile = directory.resolve(MANIFEST);
    CleftManifest manifest = Files.isRegularFile(manifestFile) ? CleftManifest.read(manifestFile)
        : CleftManifest.defaults();
    TextConfig text = readConfig(directory.resolve(manifest.text().path()), TextConfig.class, "text");
    VisionConfig vision = readConfig(directory.resolve(manifest.vision().path()), VisionConfig.class, "vision");
    Path heads = directory.resolve(manifest.heads());
    if (!Files.isRegularFile(heads)) {
      throw new CheckpointException(heads + ": projection heads file not found");
    }
    Optional<Adapter> adapter = Optional.empty();
    if (manifest.text().adapter() != null) {
      adapter = Optional.of(Adapter.read(directory.resolve(manifest.text().adapter())));
    }
    if (manifest.prompt() != null && !Files.isRegularFile(directory.resolve(manifest.prompt().path()))) {
      throw new CheckpointException(directory.resolve(manifest.prompt().path()) + ": prompt file named in "
          + MANIFEST + " not found");
    }
    return new CleftCheckpoint(directory, manifest, text, vision, adapter);
  }

  private static <T extends ModelConfig> T readConfig(Path folder, Class<T> type, String part)
      throws CheckpointException {
    Path config = folder.resolve("config.json");
    ModelConfig c = ModelConfig.read(config);
    if (!type.isInstance(c)) {
      throw new CheckpointException(config + ": the " + part + " tower has model_type '" + c.modelType()
          + "', expected " + String.join(" or ", ModelConfigs.types(type == TextConfig.class
          ? ModelConfigReader.Role.TEXT : ModelConfigReader.Role.VISION)));
    }
    return type.cast(c);
  }

  /**
   * {@return the input size the image tower is used at: {@code cleft.json}'s {@code vision.image_size}, else, for a
   * reference fixture folder, the size its {@code fixture.json} declares ({@code spec.input_size}: the size its
   * expected tensors were computed at), else the vision config's {@code image_size}}. Every backend and the
   * exporter use this one rule.
   */
  public int imageSize() {
    if (manifest.vision().imageSize() > 0) {
      return manifest.vision().imageSize();
    }
    int fixture = fixtureInputSize(directory);
    return fixture > 0 ? fixture : visionConfig.imageSize();
  }

  /** A reference fixture's {@code fixture.json}, when there is one, must be readable: it sets the input size. */
  private static void checkFixtureJson(Path dir) throws CheckpointException {
    Path file = dir.resolve("fixture.json");
    if (Files.isRegularFile(file)) {
      try {
        CleftManifest.MAPPER.readTree(file.toFile());
      } catch (IOException e) {
        throw new CheckpointException(file + ": cannot read (it sets the fixture's input size): " + e.getMessage(), e);
      }
    }
  }

  /** {@code spec.input_size} of a reference fixture's {@code fixture.json} (checked at open), or 0 when there is none. */
  private static int fixtureInputSize(Path dir) {
    Path file = dir.resolve("fixture.json");
    if (!Files.isRegularFile(file)) {
      return 0;
    }
    try {
      return CleftManifest.MAPPER.readTree(file.toFile()).path("spec").path("input_size").asInt(0);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * {@return the longest token sequence for the text tower: {@code cleft.json}'s {@code text.max_length},
   * else {@code n_positions}}
   */
  public int maxTextLength() {
    return manifest.text().maxLength() > 0 ? manifest.text().maxLength() : textConfig.maxPositions();
  }

  /**
   * {@return how this model's class captions are built: {@code cleft.json}'s {@code captions} record, else
   * (a checkpoint converted from HuggingFace or the authors' code) {@link CaptionStyle#defaults()}, the
   * reference CLEFT captions}
   */
  public CaptionStyle captionStyle() {
    return manifest.captions() != null ? manifest.captions() : CaptionStyle.defaults();
  }

  /** {@return whether {@code cleft.json} records how the captions were built} */
  public boolean captionStyleRecorded() {
    return manifest.captions() != null;
  }

  /** {@return the text tower's HF folder} */
  public Path textDir() {
    return directory.resolve(manifest.text().path());
  }

  /** {@return the image tower's HF folder} */
  public Path visionDir() {
    return directory.resolve(manifest.vision().path());
  }

  /** {@return the projection heads file} */
  public Path headsFile() {
    return directory.resolve(manifest.heads());
  }

  /** {@return the learned prompt file, if the manifest names one} */
  public Optional<Path> promptFile() {
    return Optional.ofNullable(manifest.prompt()).map(p -> directory.resolve(p.path()));
  }

  /**
   * {@return every sub-folder holding an {@code adapter_config.json}, sorted by name}
   *
   * @throws IOException when the directory cannot be listed
   */
  public List<Path> adapterFolders() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(directory)) {
      s.filter(p -> Files.isRegularFile(p.resolve("adapter_config.json"))).sorted().forEach(out::add);
    }
    return out;
  }
}
