package org.cleft.api.checkpoint;

import java.nio.file.Path;

/**
 * The {@code config.json} of a HuggingFace model folder, typed by {@code model_type}: a {@link TextConfig} or a
 * {@link VisionConfig}, read by the family's {@link ModelConfigReader}.
 */
public interface ModelConfig {

  /** {@return the {@code model_type} field} */
  String modelType();

  /**
   * Reads a {@code config.json} with the reader registered for its {@code model_type} (built in: {@code gpt2},
   * {@code dinov2}, {@code dinov2_with_registers}).
   *
   * @param configJson the {@code config.json} to read
   * @return the config
   * @throws CheckpointException when the file is missing or malformed, or the model type is unknown
   */
  static ModelConfig read(Path configJson) throws CheckpointException {
    ConfigJson json = ConfigJson.read(configJson);
    String type = json.string("model_type", null);
    if (type == null) {
      throw json.invalid("model_type", "is missing");
    }
    return ModelConfigs.read(json, type);
  }
}
