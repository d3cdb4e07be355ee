package org.cleft.api.checkpoint;

/**
 * A peft prefix-tuning adapter config: learned past keys and values for every layer.
 *
 * @param numVirtualTokens number of virtual (prefix) tokens
 * @param tokenDim hidden width of the model
 * @param numLayers number of transformer layers
 * @param numAttentionHeads attention heads
 * @param prefixProjection whether an MLP re-parameterised the prefix during training; cleft reads the
 *     saved {@code prompt_embeddings} [virtual tokens, 2 x layers x width] as the past keys and values
 * @param numTransformerSubmodules 1 for decoder-only models
 */
public record PrefixTuningConfig(int numVirtualTokens, int tokenDim, int numLayers, int numAttentionHeads,
    boolean prefixProjection, int numTransformerSubmodules) implements PeftConfig {

  @Override
  public String peftType() {
    return "PREFIX_TUNING";
  }

  static PrefixTuningConfig from(ConfigJson j) throws CheckpointException {
    int n = j.integer("num_virtual_tokens", 0);
    if (n <= 0) {
      throw j.invalid("num_virtual_tokens", "must be positive, got " + n);
    }
    return new PrefixTuningConfig(n, j.integer("token_dim", 0), j.integer("num_layers", 0),
        j.integer("num_attention_heads", 0), j.bool("prefix_projection", false),
        j.integer("num_transformer_submodules", 1));
  }
}
