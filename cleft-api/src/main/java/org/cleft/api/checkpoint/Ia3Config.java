package org.cleft.api.checkpoint;

import java.util.List;

/**
 * A peft IA3 adapter config, with peft's defaults for absent keys. IA3 scales activations by a
 * learned vector: the output of an attention module, or the input of a feed-forward module.
 *
 * @param targetModules module names (or one regular expression)
 * @param targetsAreRegex true when {@code target_modules} was a single string
 * @param feedforwardModules the subset of targets whose input (not output) is scaled
 * @param feedforwardAreRegex true when {@code feedforward_modules} was a single string
 * @param fanInFanOut the base layer stores weights as (in, out) (false)
 */
public record Ia3Config(List<String> targetModules, boolean targetsAreRegex, List<String> feedforwardModules,
    boolean feedforwardAreRegex, boolean fanInFanOut) implements PeftConfig {

  /**
   * Copies the lists.
   *
   * @param targetModules module names (or one regular expression)
   * @param targetsAreRegex true when {@code target_modules} was a single string
   * @param feedforwardModules the subset of targets whose input (not output) is scaled
   * @param feedforwardAreRegex true when {@code feedforward_modules} was a single string
   * @param fanInFanOut the base layer stores weights as (in, out) (false)
   */
  public Ia3Config {
    targetModules = List.copyOf(targetModules);
    feedforwardModules = List.copyOf(feedforwardModules);
  }

  @Override
  public String peftType() {
    return "IA3";
  }

  /**
   * {@return whether this adapter wraps the module of that name}
   *
   * @param moduleName the dotted module name, e.g. {@code h.0.attn.c_attn}
   */
  public boolean targets(String moduleName) {
    return PeftConfig.matches(targetModules, targetsAreRegex, moduleName);
  }

  /**
   * {@return whether the module of that name is a feed-forward module (its input is scaled)}
   *
   * @param moduleName the dotted module name, e.g. {@code h.0.mlp.c_proj}
   */
  public boolean isFeedforward(String moduleName) {
    return !feedforwardModules.isEmpty() && PeftConfig.matches(feedforwardModules, feedforwardAreRegex, moduleName);
  }

  static Ia3Config from(ConfigJson j) throws CheckpointException {
    List<String> targets = j.strings("target_modules", List.of());
    if (targets.isEmpty()) {
      throw j.invalid("target_modules", "is missing or empty");
    }
    return new Ia3Config(targets, j.node().path("target_modules").isTextual(),
        j.strings("feedforward_modules", List.of()), j.node().path("feedforward_modules").isTextual(),
        j.bool("fan_in_fan_out", false));
  }
}
