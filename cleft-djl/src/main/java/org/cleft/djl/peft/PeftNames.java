package org.cleft.djl.peft;

/** peft's tensor names: saved ({@code …lora_A.weight}) and at run time ({@code …lora_A.default.weight}). */
final class PeftNames {
  static final String PREFIX = "base_model.model.";

  private PeftNames() {}

  /** The name a peft model gives the parameter at run time (the adapter is called {@code default}). */
  static String runtime(String module, String kind, boolean hasWeightSuffix) {
    return PREFIX + module + "." + kind + ".default" + (hasWeightSuffix ? ".weight" : "");
  }

  /**
   * The module a saved tensor belongs to, with peft's {@code base_model.model.} prefix and a causal-LM
   * wrapper's {@code transformer.} prefix removed, or null when the name does not end with {@code suffix}.
   */
  static String module(String savedName, String suffix) {
    if (!savedName.endsWith(suffix)) {
      return null;
    }
    String m = savedName.substring(0, savedName.length() - suffix.length());
    if (m.startsWith(PREFIX)) {
      m = m.substring(PREFIX.length());
    }
    if (m.startsWith("transformer.")) {
      m = m.substring("transformer.".length());
    }
    return m;
  }
}
