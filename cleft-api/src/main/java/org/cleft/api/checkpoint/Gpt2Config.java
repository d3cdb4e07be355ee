package org.cleft.api.checkpoint;

import java.util.List;

/**
 * A GPT-2 {@code config.json}, with HuggingFace's defaults ({@code GPT2Config}) for absent keys.
 *
 * @param vocabSize vocabulary size (50257)
 * @param nPositions maximum sequence length (1024)
 * @param nEmbd hidden width (768)
 * @param nLayer number of blocks (12)
 * @param nHead attention heads (12)
 * @param nInner feed-forward width; HF's {@code null} means {@code 4 * nEmbd}
 * @param activationFunction feed-forward activation ({@code gelu_new})
 * @param layerNormEpsilon layer norm epsilon (1e-5)
 * @param scaleAttnWeights divide attention scores by sqrt(head dim) (true)
 * @param scaleAttnByInverseLayerIdx also divide by (layer index + 1) (false)
 * @param reorderAndUpcastAttn HF's float32 upcast of attention (false; no effect in float32)
 * @param bosTokenId beginning-of-sequence id (50256)
 * @param eosTokenId end-of-sequence id (50256)
 * @param padTokenId padding id, or null (GPT-2 pads with eos)
 */
public record Gpt2Config(int vocabSize, int nPositions, int nEmbd, int nLayer, int nHead, int nInner,
    String activationFunction, double layerNormEpsilon, boolean scaleAttnWeights,
    boolean scaleAttnByInverseLayerIdx, boolean reorderAndUpcastAttn, int bosTokenId, int eosTokenId,
    Integer padTokenId, double attnPdrop, double residPdrop, double embdPdrop) implements TextConfig {

  /**
   * Validates the sizes.
   *
   * @param vocabSize vocabulary size (50257)
   * @param nPositions maximum sequence length (1024)
   * @param nEmbd hidden width (768)
   * @param nLayer number of blocks (12)
   * @param nHead attention heads (12)
   * @param nInner feed-forward width; HF's {@code null} means {@code 4 * nEmbd}
   * @param activationFunction feed-forward activation ({@code gelu_new})
   * @param layerNormEpsilon layer norm epsilon (1e-5)
   * @param scaleAttnWeights divide attention scores by sqrt(head dim) (true)
   * @param scaleAttnByInverseLayerIdx also divide by (layer index + 1) (false)
   * @param reorderAndUpcastAttn HF's float32 upcast of attention (false; no effect in float32)
   * @param bosTokenId beginning-of-sequence id (50256)
   * @param eosTokenId end-of-sequence id (50256)
   * @param padTokenId padding id, or null (GPT-2 pads with eos)
   * @param attnPdrop dropout on the attention probabilities in training (0.1)
   * @param residPdrop dropout on each block's attention and MLP outputs in training (0.1)
   * @param embdPdrop dropout on the summed embeddings in training (0.1)
   */
  public Gpt2Config {
    if (vocabSize <= 0 || nPositions <= 0 || nEmbd <= 0 || nLayer <= 0 || nHead <= 0 || nInner <= 0) {
      throw new IllegalArgumentException("Gpt2Config sizes must be positive");
    }
    if (nEmbd % nHead != 0) {
      throw new IllegalArgumentException("Gpt2Config: n_embd " + nEmbd + " is not divisible by n_head " + nHead);
    }
    for (double p : new double[] {attnPdrop, residPdrop, embdPdrop}) {
      if (!(p >= 0 && p < 1)) {
        throw new IllegalArgumentException("Gpt2Config dropout probabilities must be in [0, 1), got " + p);
      }
    }
  }

  @Override
  public String modelType() {
    return "gpt2";
  }

  @Override
  public int maxPositions() {
    return nPositions;
  }

  @Override
  public int hiddenSize() {
    return nEmbd;
  }

  /** Reads {@code model_type} {@code gpt2}. */
  public static final class Reader implements ModelConfigReader {
    /** The reader (found by {@link ModelConfig#read}). */
    public Reader() {}

    @Override
    public List<String> modelTypes() {
      return List.of("gpt2");
    }

    @Override
    public Role role() {
      return Role.TEXT;
    }

    @Override
    public ModelConfig read(ConfigJson json, String modelType) throws CheckpointException {
      return from(json);
    }
  }

  /** {@return width of one attention head} */
  public int headDim() {
    return nEmbd / nHead;
  }

  /** {@return the id used to pad: {@code pad_token_id} if set, else {@code eos_token_id}} */
  @Override
  public int effectivePadId() {
    return padTokenId != null ? padTokenId : eosTokenId;
  }

  static Gpt2Config from(ConfigJson j) throws CheckpointException {
    int nEmbd = j.integer("n_embd", 768);
    int nHead = j.integer("n_head", 12);
    if (nEmbd <= 0 || nHead <= 0 || nEmbd % nHead != 0) {
      throw j.invalid("n_embd", "(" + nEmbd + ") must be a positive multiple of n_head (" + nHead + ")");
    }
    Integer inner = j.optionalInteger("n_inner");
    String act = j.string("activation_function", "gelu_new");
    try {
      return new Gpt2Config(j.integer("vocab_size", 50257), j.integer("n_positions", 1024), nEmbd,
          j.integer("n_layer", 12), nHead, inner == null ? 4 * nEmbd : inner, act,
          j.number("layer_norm_epsilon", 1e-5), j.bool("scale_attn_weights", true),
          j.bool("scale_attn_by_inverse_layer_idx", false), j.bool("reorder_and_upcast_attn", false),
          j.integer("bos_token_id", 50256), j.integer("eos_token_id", 50256), j.optionalInteger("pad_token_id"),
          j.number("attn_pdrop", 0.1), j.number("resid_pdrop", 0.1), j.number("embd_pdrop", 0.1));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(j.file() + ": " + e.getMessage(), e);
    }
  }
}
