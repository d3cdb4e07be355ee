package org.cleft.api.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of model families' config readers by {@code model_type}: GPT-2 and DINOv2 built in (so a checkpoint
 * reads even where service files were lost, e.g. in a badly shaded jar), others found with {@link ServiceLoader}.
 */
final class ModelConfigs {
  private static volatile Map<String, ModelConfigReader> readers;

  private ModelConfigs() {}

  static Map<String, ModelConfigReader> readers() {
    Map<String, ModelConfigReader> r = readers;
    if (r == null) {
      r = new TreeMap<>();
      for (ModelConfigReader reader : List.of(new Gpt2Config.Reader(), new LlamaConfig.Reader(),
          new Dinov2Config.Reader())) {
        register(r, reader);
      }
      for (ModelConfigReader reader : ServiceLoader.load(ModelConfigReader.class, ModelConfigs.class.getClassLoader())) {
        if (!(reader instanceof Gpt2Config.Reader) && !(reader instanceof LlamaConfig.Reader)
            && !(reader instanceof Dinov2Config.Reader)) {
          register(r, reader);
        }
      }
      readers = r;
    }
    return r;
  }

  private static void register(Map<String, ModelConfigReader> r, ModelConfigReader reader) {
    for (String type : reader.modelTypes()) {
      ModelConfigReader other = r.putIfAbsent(type, reader);
      if (other != null && other.getClass() != reader.getClass()) {
        throw new IllegalStateException("model_type '" + type + "' is read by both " + other.getClass().getName()
            + " and " + reader.getClass().getName());
      }
    }
  }

  /** {@return the model types of one role, for messages} */
  static List<String> types(ModelConfigReader.Role role) {
    return readers().entrySet().stream().filter(e -> e.getValue().role() == role).map(Map.Entry::getKey).toList();
  }

  static ModelConfig read(ConfigJson json, String type) throws CheckpointException {
    ModelConfigReader reader = readers().get(type);
    if (reader == null) {
      throw json.invalid("model_type", "is '" + type + "', which cleft does not support (supported: "
          + String.join(", ", readers().keySet()) + ")");
    }
    return reader.read(json, type);
  }
}
