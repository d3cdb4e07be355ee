package org.cleft.api.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * A LLaMA-architecture {@code config.json} ({@code model_type} {@code llama}, or {@code mistral} without a sliding
 * window inside the sequence), with HuggingFace's defaults ({@code LlamaConfig}) for absent keys.
 *
 * @param modelType {@code llama} or {@code mistral}
 * @param vocabSize vocabulary size (32000)
 * @param hiddenSize hidden width (4096)
 * @param intermediateSize the gated MLP's width (11008)
 * @param numHiddenLayers decoder layers (32)
 * @param numAttentionHeads query heads (32)
 * @param numKeyValueHeads key / value heads, grouped-query attention when fewer than the query heads (the query heads)
 * @param headDim width of one head ({@code hidden_size / num_attention_heads})
 * @param hiddenAct the MLP's gate activation ({@code silu})
 * @param maxPositionEmbeddings the longest sequence (2048)
 * @param rmsNormEps RMSNorm epsilon (1e-6)
 * @param rope the rotary position embedding
 * @param attentionBias biases on q, k, v and o projections (false)
 * @param mlpBias biases on the MLP projections (false)
 * @param attentionDropout dropout on the attention probabilities in training (0)
 * @param bosTokenId beginning-of-sequence id (1)
 * @param eosTokenId end-of-sequence id (2; the first when the config lists several)
 * @param padTokenId padding id, or null (texts are then padded with eos)
 * @param slidingWindow Mistral's attention window, or null
 */
public record LlamaConfig(String modelType, int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
    int numAttentionHeads, int numKeyValueHeads, int headDim, String hiddenAct, int maxPositionEmbeddings,
    double rmsNormEps, Rope rope, boolean attentionBias, boolean mlpBias, double attentionDropout, int bosTokenId,
    int eosTokenId, Integer padTokenId, Integer slidingWindow) implements TextConfig {

  /**
   * The rotary position embedding: {@code rope_theta}, the rotated share of each head, and the scaling of the
   * frequencies ({@code rope_scaling} / {@code rope_parameters}: none, {@code linear} or {@code llama3}).
   *
   * @param theta the base ({@code rope_theta}, 10000)
   * @param partialRotaryFactor the share of each head's channels that rotate (1.0)
   * @param type {@code default}, {@code linear} or {@code llama3}
   * @param factor the scaling factor (linear, llama3; 1 for default)
   * @param lowFreqFactor llama3's {@code low_freq_factor}
   * @param highFreqFactor llama3's {@code high_freq_factor}
   * @param originalMaxPositions llama3's {@code original_max_position_embeddings}
   */
  public record Rope(double theta, double partialRotaryFactor, String type, double factor, double lowFreqFactor,
      double highFreqFactor, int originalMaxPositions) {
    /** The rope types cleft computes. */
    public static final List<String> TYPES = List.of("default", "linear", "llama3");

    /**
     * Validates the values.
     *
     * @param theta the base ({@code rope_theta}, 10000)
     * @param partialRotaryFactor the share of each head's channels that rotate (1.0)
     * @param type {@code default}, {@code linear} or {@code llama3}
     * @param factor the scaling factor (linear, llama3; 1 for default)
     * @param lowFreqFactor llama3's {@code low_freq_factor}
     * @param highFreqFactor llama3's {@code high_freq_factor}
     * @param originalMaxPositions llama3's {@code original_max_position_embeddings}
     */
    public Rope {
      if (!TYPES.contains(type)) {
        throw new IllegalArgumentException("rope type '" + type + "' is not supported (supported: "
            + String.join(", ", TYPES) + ")");
      }
      if (!(theta > 0) || !(factor > 0) || !(partialRotaryFactor > 0 && partialRotaryFactor <= 1)) {
        throw new IllegalArgumentException("rope_theta and the scaling factor must be positive and "
            + "partial_rotary_factor in (0, 1]");
      }
      if (type.equals("llama3") && !(highFreqFactor > lowFreqFactor && lowFreqFactor > 0 && originalMaxPositions > 0)) {
        throw new IllegalArgumentException("llama3 rope scaling needs high_freq_factor > low_freq_factor > 0 and "
            + "original_max_position_embeddings > 0");
      }
    }

    /**
     * {@return the rotated channels of a head of {@code headDim}: {@code int(head_dim * partial_rotary_factor)}}
     *
     * @param headDim the head width
     */
    public int rotaryDim(int headDim) {
      return (int) (headDim * partialRotaryFactor);
    }

    /**
     * {@return the inverse frequencies, float32 as HF computes them: {@code 1 / theta^(2i / dim)}, then scaled by
     * the rope type}
     *
     * @param dim the rotated channels
     */
    public float[] inverseFrequencies(int dim) {
      float[] inv = new float[dim / 2];
      for (int i = 0; i < inv.length; i++) {
        float exponent = (float) (2 * i) / dim;
        inv[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
      }
      switch (type) {
        case "linear" -> {
          for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) (inv[i] / factor);
          }
        }
        case "llama3" -> {
          double lowWavelen = originalMaxPositions / lowFreqFactor;
          double highWavelen = originalMaxPositions / highFreqFactor;
          for (int i = 0; i < inv.length; i++) {
            float f = inv[i];
            float wavelen = (float) (2 * Math.PI / f);
            float scaled = wavelen > lowWavelen ? (float) (f / factor) : f;
            if (!(wavelen < highWavelen) && !(wavelen > lowWavelen)) {
              float smooth = (float) ((originalMaxPositions / wavelen - lowFreqFactor)
                  / (highFreqFactor - lowFreqFactor));
              scaled = (float) ((1 - smooth) * scaled / factor + smooth * scaled);
            }
            inv[i] = scaled;
          }
        }
        default -> { }
      }
      return inv;
    }
  }

  /**
   * Validates the sizes.
   *
   * @param modelType {@code llama} or {@code mistral}
   * @param vocabSize vocabulary size (32000)
   * @param hiddenSize hidden width (4096)
   * @param intermediateSize the gated MLP's width (11008)
   * @param numHiddenLayers decoder layers (32)
   * @param numAttentionHeads query heads (32)
   * @param numKeyValueHeads key / value heads
   * @param headDim width of one head
   * @param hiddenAct the MLP's gate activation ({@code silu})
   * @param maxPositionEmbeddings the longest sequence (2048)
   * @param rmsNormEps RMSNorm epsilon (1e-6)
   * @param rope the rotary position embedding
   * @param attentionBias biases on q, k, v and o projections (false)
   * @param mlpBias biases on the MLP projections (false)
   * @param attentionDropout dropout on the attention probabilities in training (0)
   * @param bosTokenId beginning-of-sequence id (1)
   * @param eosTokenId end-of-sequence id (2)
   * @param padTokenId padding id, or null
   * @param slidingWindow Mistral's attention window, or null
   */
  public LlamaConfig {
    if (vocabSize <= 0 || hiddenSize <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0 || numAttentionHeads <= 0
        || numKeyValueHeads <= 0 || headDim <= 0 || maxPositionEmbeddings <= 0) {
      throw new IllegalArgumentException("LlamaConfig sizes must be positive");
    }
    if (numAttentionHeads % numKeyValueHeads != 0) {
      throw new IllegalArgumentException("num_attention_heads " + numAttentionHeads
          + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
    }
    if (rope.rotaryDim(headDim) % 2 != 0 || rope.rotaryDim(headDim) == 0) {
      throw new IllegalArgumentException("the rotated channels of a head (" + rope.rotaryDim(headDim)
          + ") must be a positive even number");
    }
    if (!(attentionDropout >= 0 && attentionDropout < 1)) {
      throw new IllegalArgumentException("attention_dropout must be in [0, 1), got " + attentionDropout);
    }
    if (!(rmsNormEps > 0)) {
      throw new IllegalArgumentException("rms_norm_eps must be positive, got " + rmsNormEps);
    }
  }

  @Override
  public int maxPositions() {
    return slidingWindow == null ? maxPositionEmbeddings : Math.min(maxPositionEmbeddings, slidingWindow);
  }

  /** {@return the id used to pad: {@code pad_token_id} if set, else {@code eos_token_id}} */
  @Override
  public int effectivePadId() {
    return padTokenId != null ? padTokenId : eosTokenId;
  }

  /** {@return query heads per key / value head} */
  public int groups() {
    return numAttentionHeads / numKeyValueHeads;
  }

  /** Reads {@code model_type} {@code llama} and {@code mistral}. */
  public static final class Reader implements ModelConfigReader {
    /** The reader (found by {@link ModelConfig#read}). */
    public Reader() {}

    @Override
    public List<String> modelTypes() {
      return List.of("llama", "mistral");
    }

    @Override
    public Role role() {
      return Role.TEXT;
    }

    @Override
    public ModelConfig read(ConfigJson json, String modelType) throws CheckpointException {
      return from(json, modelType);
    }
  }

  static LlamaConfig from(ConfigJson j, String modelType) throws CheckpointException {
    int hidden = j.integer("hidden_size", 4096);
    int heads = j.integer("num_attention_heads", 32);
    if (hidden <= 0 || heads <= 0) {
      throw j.invalid("hidden_size", "(" + hidden + ") and num_attention_heads (" + heads + ") must be positive");
    }
    Integer headDim = j.optionalInteger("head_dim");
    if (headDim == null && hidden % heads != 0) {
      throw j.invalid("hidden_size", "(" + hidden + ") is not divisible by num_attention_heads (" + heads
          + ") and no head_dim is given");
    }
    Integer kv = j.optionalInteger("num_key_value_heads");
    boolean mistral = modelType.equals("mistral");
    try {
      return new LlamaConfig(modelType, j.integer("vocab_size", 32000), hidden,
          j.integer("intermediate_size", mistral ? 14336 : 11008), j.integer("num_hidden_layers", 32), heads,
          kv == null ? heads : kv, headDim == null ? hidden / heads : headDim, j.string("hidden_act", "silu"),
          j.integer("max_position_embeddings", mistral ? 4096 * 32 : 2048), j.number("rms_norm_eps", 1e-6),
          rope(j), j.bool("attention_bias", false), j.bool("mlp_bias", false), j.number("attention_dropout", 0),
          j.integer("bos_token_id", 1), firstId(j, "eos_token_id", 2), j.optionalInteger("pad_token_id"),
          !mistral ? null : j.node().has("sliding_window") ? j.optionalInteger("sliding_window") : Integer.valueOf(4096));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(j.file() + ": " + e.getMessage(), e);
    }
  }

  /** An id field that may be an integer or a list of them (Llama 3's {@code eos_token_id}). */
  private static int firstId(ConfigJson j, String field, int dflt) throws CheckpointException {
    JsonNode n = j.node().get(field);
    if (n != null && n.isArray()) {
      if (n.isEmpty() || !n.get(0).isIntegralNumber()) {
        throw j.invalid(field, "must be an integer or a non-empty list of integers");
      }
      return n.get(0).asInt();
    }
    return j.integer(field, dflt);
  }

  /** {@code rope_parameters} (transformers 5) or {@code rope_theta} + {@code rope_scaling} (4.x). */
  private static Rope rope(ConfigJson j) throws CheckpointException {
    JsonNode params = j.node().get("rope_parameters");
    JsonNode scaling = params != null && !params.isNull() ? params : j.node().get("rope_scaling");
    double theta = params != null && params.has("rope_theta") ? params.get("rope_theta").asDouble()
        : j.number("rope_theta", 10000);
    double partial = params != null && params.has("partial_rotary_factor")
        ? params.get("partial_rotary_factor").asDouble() : j.number("partial_rotary_factor", 1.0);
    if (scaling == null || scaling.isNull()) {
      return new Rope(theta, partial, "default", 1, 0, 0, 0);
    }
    if (!scaling.isObject()) {
      throw j.invalid("rope_scaling", "must be an object or null");
    }
    String type = scaling.has("rope_type") ? scaling.get("rope_type").asText()
        : scaling.path("type").asText("default");
    type = type.toLowerCase(Locale.ROOT);
    if (!Rope.TYPES.contains(type)) {
      throw j.invalid(params != null ? "rope_parameters" : "rope_scaling", "has rope type '" + type
          + "', which cleft does not compute (supported: " + String.join(", ", Rope.TYPES) + ")");
    }
    double factor = scaling.path("factor").asDouble(1.0);
    return new Rope(theta, partial, type, factor, scaling.path("low_freq_factor").asDouble(1.0),
        scaling.path("high_freq_factor").asDouble(4.0), scaling.path("original_max_position_embeddings").asInt(8192));
  }
}
