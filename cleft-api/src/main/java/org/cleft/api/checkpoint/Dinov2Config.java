package org.cleft.api.checkpoint;

import java.util.List;

/**
 * A DINOv2 ({@code dinov2}) or DINOv2-with-registers ({@code dinov2_with_registers})
 * {@code config.json}, with HuggingFace's defaults for absent keys.
 *
 * @param modelType {@code dinov2} or {@code dinov2_with_registers}
 * @param hiddenSize hidden width (768)
 * @param numHiddenLayers number of blocks (12)
 * @param numAttentionHeads attention heads (12)
 * @param mlpRatio feed-forward width as a multiple of the hidden width (4)
 * @param hiddenAct feed-forward activation ({@code gelu})
 * @param layerNormEps layer norm epsilon (1e-6)
 * @param imageSize the image size the position embeddings were trained for (224 or 518)
 * @param patchSize patch size (14)
 * @param numChannels input channels (3)
 * @param qkvBias whether query/key/value have biases (true)
 * @param layerscaleValue initial layer scale (1.0)
 * @param useSwigluFfn SwiGLU feed-forward instead of the MLP (false)
 * @param numRegisterTokens register tokens (0 for {@code dinov2}, 4 by default with registers)
 */
public record Dinov2Config(String modelType, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
    double mlpRatio, String hiddenAct, double layerNormEps, int imageSize, int patchSize, int numChannels,
    boolean qkvBias, double layerscaleValue, boolean useSwigluFfn, int numRegisterTokens) implements VisionConfig {

  /**
   * Validates the sizes.
   *
   * @param modelType {@code dinov2} or {@code dinov2_with_registers}
   * @param hiddenSize hidden width (768)
   * @param numHiddenLayers number of blocks (12)
   * @param numAttentionHeads attention heads (12)
   * @param mlpRatio feed-forward width as a multiple of the hidden width (4)
   * @param hiddenAct feed-forward activation ({@code gelu})
   * @param layerNormEps layer norm epsilon (1e-6)
   * @param imageSize the image size the position embeddings were trained for (224 or 518)
   * @param patchSize patch size (14)
   * @param numChannels input channels (3)
   * @param qkvBias whether query/key/value have biases (true)
   * @param layerscaleValue initial layer scale (1.0)
   * @param useSwigluFfn SwiGLU feed-forward instead of the MLP (false)
   * @param numRegisterTokens register tokens (0 for {@code dinov2}, 4 by default with registers)
   */
  public Dinov2Config {
    if (hiddenSize <= 0 || numHiddenLayers <= 0 || numAttentionHeads <= 0 || patchSize <= 0 || imageSize <= 0
        || numChannels <= 0 || numRegisterTokens < 0) {
      throw new IllegalArgumentException("Dinov2Config sizes must be positive");
    }
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException("Dinov2Config: hidden_size " + hiddenSize
          + " is not divisible by num_attention_heads " + numAttentionHeads);
    }
  }

  /** {@return true for {@code dinov2_with_registers}} */
  public boolean withRegisters() {
    return modelType.equals("dinov2_with_registers");
  }

  /** {@return feed-forward width: {@code int(hidden_size * mlp_ratio)} as HF computes it} */
  public int mlpHiddenSize() {
    return (int) (hiddenSize * mlpRatio);
  }

  /** {@return width of one attention head} */
  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  /** {@return patches per side at the configured image size} */
  public int patchesPerSide() {
    return imageSize / patchSize;
  }

  /** Reads {@code model_type} {@code dinov2} and {@code dinov2_with_registers}. */
  public static final class Reader implements ModelConfigReader {
    /** The reader (found by {@link ModelConfig#read}). */
    public Reader() {}

    @Override
    public List<String> modelTypes() {
      return List.of("dinov2", "dinov2_with_registers");
    }

    @Override
    public Role role() {
      return Role.VISION;
    }

    @Override
    public ModelConfig read(ConfigJson json, String modelType) throws CheckpointException {
      return from(json, modelType);
    }
  }

  static Dinov2Config from(ConfigJson j, String type) throws CheckpointException {
    boolean registers = type.equals("dinov2_with_registers");
    try {
      return new Dinov2Config(type, j.integer("hidden_size", 768), j.integer("num_hidden_layers", 12),
          j.integer("num_attention_heads", 12), j.number("mlp_ratio", 4), j.string("hidden_act", "gelu"),
          j.number("layer_norm_eps", 1e-6), j.integer("image_size", 224), j.integer("patch_size", 14),
          j.integer("num_channels", 3), j.bool("qkv_bias", true), j.number("layerscale_value", 1.0),
          j.bool("use_swiglu_ffn", false), registers ? j.integer("num_register_tokens", 4) : 0);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(j.file() + ": " + e.getMessage(), e);
    }
  }
}
