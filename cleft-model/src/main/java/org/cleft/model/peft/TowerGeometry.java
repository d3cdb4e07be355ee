package org.cleft.model.peft;

import java.util.List;
import java.util.Map;

/**
 * An {@link AdaptableTower} as plain values: what a family tells peft about a tower of one config.
 *
 * @param family the family's name, for messages
 * @param wrapperPrefix the causal-LM checkpoint's prefix of the tower's tensor names
 * @param linearModules the linear modules by name
 * @param layers the number of layers
 * @param keyValueHeads key / value heads per layer (prefix tuning)
 * @param headDim the width of a head
 * @param positions the most positions the tower takes
 * @param loraTargets peft's default LoRA targets for the family
 * @param ia3Targets peft's default IA3 targets
 * @param ia3Feedforward the IA3 targets peft treats as feed-forward
 */
public record TowerGeometry(String family, String wrapperPrefix, Map<String, AdaptableModule> linearModules,
    int layers, int keyValueHeads, int headDim, int positions, List<String> loraTargets, List<String> ia3Targets,
    List<String> ia3Feedforward) implements AdaptableTower {

  /**
   * Copies the collections.
   *
   * @param family the family's name, for messages
   * @param wrapperPrefix the causal-LM checkpoint's prefix of the tower's tensor names
   * @param linearModules the linear modules by name
   * @param layers the number of layers
   * @param keyValueHeads key / value heads per layer (prefix tuning)
   * @param headDim the width of a head
   * @param positions the most positions the tower takes
   * @param loraTargets peft's default LoRA targets for the family
   * @param ia3Targets peft's default IA3 targets
   * @param ia3Feedforward the IA3 targets peft treats as feed-forward
   */
  public TowerGeometry {
    linearModules = Map.copyOf(linearModules);
    loraTargets = List.copyOf(loraTargets);
    ia3Targets = List.copyOf(ia3Targets);
    ia3Feedforward = List.copyOf(ia3Feedforward);
  }
}
