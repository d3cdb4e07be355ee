package org.cleft.api.checkpoint;

import java.nio.file.Path;

/** The {@code config.json} of a HuggingFace model folder, typed by {@code model_type}. */
public sealed interface ModelConfig permits Gpt2Config, Dinov2Config {

  /** {@return the {@code model_type} field} */
  String modelType();

  /**
   * Reads a {@code config.json}, dispatching on {@code model_type}: {@code gpt2}, {@code dinov2},
   * {@code dinov2_with_registers}.
   *
   * @param configJson the {@code config.json} to read
   * @return the config, a {@link Gpt2Config} or {@link Dinov2Config}
   * @throws CheckpointException when the file is missing or malformed, or the model type is unknown
   */
  static ModelConfig read(Path configJson) throws CheckpointException {
    Json json = Json.read(configJson);
    String type = json.string("model_type", null);
    if (type == null) {
      throw json.invalid("model_type", "is missing");
    }
    return switch (type) {
      case "gpt2" -> Gpt2Config.from(json);
      case "dinov2", "dinov2_with_registers" -> Dinov2Config.from(json, type);
      default -> throw json.invalid("model_type",
          "is '" + type + "', which cleft does not support (supported: gpt2, dinov2, dinov2_with_registers)");
    };
  }
}
