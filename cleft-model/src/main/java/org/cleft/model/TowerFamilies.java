package org.cleft.model;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import org.cleft.api.checkpoint.ModelConfig;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.model.dinov2.Dinov2Family;
import org.cleft.model.gpt2.Gpt2Family;
import org.cleft.model.llama.LlamaFamily;

/**
 * The registry of tower families by {@code model_type}: GPT-2 and DINOv2 built in, others found with
 * {@link ServiceLoader}. Engines build towers through it and never name a family.
 */
public final class TowerFamilies {
  private static volatile Map<String, TextFamily> text;
  private static volatile Map<String, VisionFamily> vision;

  private TowerFamilies() {}

  /**
   * {@return the family of a text tower}
   *
   * @param config its config
   * @throws IllegalArgumentException when no family has its {@code model_type}
   */
  public static TextFamily text(TextConfig config) {
    if (text == null) {
      text = registry(TextFamily.class, List.of(new Gpt2Family(), new LlamaFamily()), TextFamily::modelTypes);
    }
    return find(text, config, "text");
  }

  /**
   * {@return the family of an image tower}
   *
   * @param config its config
   * @throws IllegalArgumentException when no family has its {@code model_type}
   */
  public static VisionFamily vision(VisionConfig config) {
    if (vision == null) {
      vision = registry(VisionFamily.class, List.of(new Dinov2Family()), VisionFamily::modelTypes);
    }
    return find(vision, config, "image");
  }

  private static <F> Map<String, F> registry(Class<F> type, List<F> builtIns, Function<F, List<String>> types) {
    Map<String, F> out = new TreeMap<>();
    for (F builtIn : builtIns) {
      types.apply(builtIn).forEach(t -> out.put(t, builtIn));
    }
    for (F family : ServiceLoader.load(type, TowerFamilies.class.getClassLoader())) {
      if (builtIns.stream().anyMatch(b -> b.getClass() == family.getClass())) {
        continue;
      }
      for (String t : types.apply(family)) {
        F other = out.putIfAbsent(t, family);
        if (other != null) {
          throw new IllegalStateException("model_type '" + t + "' is claimed by both " + other.getClass().getName()
              + " and " + family.getClass().getName());
        }
      }
    }
    return out;
  }

  private static <F> F find(Map<String, F> families, ModelConfig config, String role) {
    F f = families.get(config.modelType());
    if (f == null) {
      throw new IllegalArgumentException("no " + role + " tower family for model_type '" + config.modelType()
          + "' (known: " + String.join(", ", families.keySet()) + ")");
    }
    return f;
  }
}
