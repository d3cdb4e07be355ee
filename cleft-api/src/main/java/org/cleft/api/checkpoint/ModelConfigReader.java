package org.cleft.api.checkpoint;

import java.util.List;

/**
 * Reads the {@code config.json} of a model family, found by its {@code model_type}: the registry
 * {@link ModelConfig#read} consults. GPT-2 and DINOv2 are built in; a new family registers its reader in
 * {@code META-INF/services/org.cleft.api.checkpoint.ModelConfigReader} (see "adding a model family" in
 * {@code docs/architecture.md}).
 */
public interface ModelConfigReader {

  /** Whether the family is a text or an image tower. */
  enum Role {
    /** A language model: its config is a {@link TextConfig}. */
    TEXT,
    /** An image tower: its config is a {@link VisionConfig}. */
    VISION
  }

  /** {@return the {@code model_type} values this reader reads} */
  List<String> modelTypes();

  /** {@return what the family's towers are} */
  Role role();

  /**
   * {@return the config, every field checked}
   *
   * @param json the {@code config.json}
   * @param modelType its {@code model_type} (one of {@link #modelTypes()})
   * @throws CheckpointException naming the file and the field that is missing or invalid
   */
  ModelConfig read(ConfigJson json, String modelType) throws CheckpointException;
}
