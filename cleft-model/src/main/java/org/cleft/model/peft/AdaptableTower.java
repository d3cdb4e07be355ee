package org.cleft.model.peft;

import java.util.List;
import java.util.Map;

/**
 * What a text tower tells peft about itself: its linear modules and the geometry of its keys and values (for prefix
 * tuning).
 */
public interface AdaptableTower {

  /** {@return the family's name, for messages ({@code GPT-2})} */
  String family();

  /** {@return the prefix a causal-LM checkpoint puts before the tower's module names ({@code transformer.})} */
  String wrapperPrefix();

  /** {@return the linear modules by name, in the tower's order} */
  Map<String, AdaptableModule> linearModules();

  /** {@return number of transformer layers} */
  int layers();

  /** {@return number of key/value heads} */
  int keyValueHeads();

  /** {@return width of one head} */
  int headDim();

  /** {@return number of positions the tower has} */
  int positions();

  /** {@return peft's default LoRA {@code target_modules} for the family (its module-name suffixes)} */
  List<String> loraTargets();

  /** {@return peft's default IA3 {@code target_modules} for the family} */
  List<String> ia3Targets();

  /** {@return peft's default IA3 {@code feedforward_modules} for the family (a subset of {@link #ia3Targets()})} */
  List<String> ia3Feedforward();
}
