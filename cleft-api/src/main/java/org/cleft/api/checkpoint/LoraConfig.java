package org.cleft.api.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * A peft LoRA adapter config, with peft's defaults for absent keys.
 *
 * @param r rank (8)
 * @param loraAlpha scaling numerator (8); the scale is {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA
 * @param loraDropout dropout on the LoRA input during training (0)
 * @param targetModules module names (or one regular expression, see {@code targetsAreRegex})
 * @param targetsAreRegex true when {@code target_modules} was a single string (peft: full-match regex)
 * @param fanInFanOut the base layer stores weights as (in, out), as GPT-2's Conv1D does (false)
 * @param bias {@code none}, {@code all} or {@code lora_only} ({@code none})
 * @param useRslora rank-stabilised scaling (false)
 * @param useDora weight-decomposed LoRA (false; unsupported by cleft's backends)
 * @param rankPattern per-module rank overrides
 * @param alphaPattern per-module alpha overrides
 */
public record LoraConfig(int r, double loraAlpha, double loraDropout, List<String> targetModules,
    boolean targetsAreRegex, boolean fanInFanOut, String bias, boolean useRslora, boolean useDora,
    Map<String, Integer> rankPattern, Map<String, Double> alphaPattern) implements PeftConfig {

  /**
   * Copies the collections.
   *
   * @param r rank (8)
   * @param loraAlpha scaling numerator (8); the scale is {@code alpha / r}, or {@code alpha / sqrt(r)} with
   *     rsLoRA
   * @param loraDropout dropout on the LoRA input during training (0)
   * @param targetModules module names (or one regular expression, see {@code targetsAreRegex})
   * @param targetsAreRegex true when {@code target_modules} was a single string (peft: full-match regex)
   * @param fanInFanOut the base layer stores weights as (in, out), as GPT-2's Conv1D does (false)
   * @param bias {@code none}, {@code all} or {@code lora_only} ({@code none})
   * @param useRslora rank-stabilised scaling (false)
   * @param useDora weight-decomposed LoRA (false; unsupported by cleft's backends)
   * @param rankPattern per-module rank overrides
   * @param alphaPattern per-module alpha overrides
   */
  public LoraConfig {
    targetModules = List.copyOf(targetModules);
    rankPattern = Map.copyOf(rankPattern);
    alphaPattern = Map.copyOf(alphaPattern);
  }

  @Override
  public String peftType() {
    return "LORA";
  }

  /**
   * {@return whether this adapter wraps the module of that (dotted) name}
   *
   * @param moduleName the dotted module name, e.g. {@code h.0.attn.c_attn}
   */
  public boolean targets(String moduleName) {
    return PeftConfig.matches(targetModules, targetsAreRegex, moduleName);
  }

  /**
   * {@return the factor {@code B A x} is multiplied by for the module of that name}
   *
   * @param moduleName the dotted module name
   */
  public double scaling(String moduleName) {
    int rank = rankFor(moduleName);
    double alpha = alphaPattern.entrySet().stream()
        .filter(e -> moduleName.equals(e.getKey()) || moduleName.endsWith("." + e.getKey()))
        .map(Map.Entry::getValue).findFirst().orElse(loraAlpha);
    return useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
  }

  /**
   * {@return the rank used for the module of that name}
   *
   * @param moduleName the dotted module name
   */
  public int rankFor(String moduleName) {
    return rankPattern.entrySet().stream()
        .filter(e -> moduleName.equals(e.getKey()) || moduleName.endsWith("." + e.getKey()))
        .map(Map.Entry::getValue).findFirst().orElse(r);
  }

  static LoraConfig from(ConfigJson j) throws CheckpointException {
    int r = j.integer("r", 8);
    if (r <= 0) {
      throw j.invalid("r", "must be positive, got " + r);
    }
    boolean regex = j.node().path("target_modules").isTextual();
    List<String> targets = j.strings("target_modules", List.of());
    if (targets.isEmpty()) {
      throw j.invalid("target_modules", "is missing or empty");
    }
    Map<String, Integer> ranks = new java.util.LinkedHashMap<>();
    j.node().path("rank_pattern").fields().forEachRemaining(e -> ranks.put(e.getKey(), e.getValue().asInt()));
    Map<String, Double> alphas = new java.util.LinkedHashMap<>();
    j.node().path("alpha_pattern").fields().forEachRemaining(e -> alphas.put(e.getKey(), e.getValue().asDouble()));
    return new LoraConfig(r, j.number("lora_alpha", 8), j.number("lora_dropout", 0), targets, regex,
        j.bool("fan_in_fan_out", false), j.string("bias", "none"), j.bool("use_rslora", false),
        j.bool("use_dora", false), ranks, alphas);
  }
}
