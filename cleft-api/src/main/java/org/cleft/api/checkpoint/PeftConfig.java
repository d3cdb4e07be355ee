package org.cleft.api.checkpoint;

import java.nio.file.Path;
import java.util.List;

/** A peft {@code adapter_config.json}, typed by {@code peft_type}. */
public sealed interface PeftConfig permits LoraConfig, Ia3Config, PrefixTuningConfig {

  /** {@return the {@code peft_type} field ({@code LORA}, {@code IA3}, {@code PREFIX_TUNING})} */
  String peftType();

  /**
   * Reads an {@code adapter_config.json}.
   *
   * @param adapterConfigJson the {@code adapter_config.json} to read
   * @return the config, by peft type
   * @throws CheckpointException when the file is missing or malformed, or the peft type is unsupported
   */
  static PeftConfig read(Path adapterConfigJson) throws CheckpointException {
    ConfigJson json = ConfigJson.read(adapterConfigJson);
    String type = json.string("peft_type", null);
    if (type == null) {
      throw json.invalid("peft_type", "is missing");
    }
    return switch (type) {
      case "LORA" -> LoraConfig.from(json);
      case "IA3" -> Ia3Config.from(json);
      case "PREFIX_TUNING" -> PrefixTuningConfig.from(json);
      default -> throw json.invalid("peft_type",
          "is '" + type + "', which cleft does not support (supported: LORA, IA3, PREFIX_TUNING)");
    };
  }

  /**
   * {@return whether a module name matches peft's {@code target_modules}: a single string is a full-match
   * regular expression; a list matches a module whose name equals an entry or ends with {@code "." + entry}}
   *
   * @param targets the {@code target_modules} entries
   * @param regex whether {@code targets} is one regular expression
   * @param moduleName the dotted module name
   */
  static boolean matches(List<String> targets, boolean regex, String moduleName) {
    if (regex) {
      return moduleName.matches(targets.get(0));
    }
    for (String t : targets) {
      if (moduleName.equals(t) || moduleName.endsWith("." + t)) {
        return true;
      }
    }
    return false;
  }
}
