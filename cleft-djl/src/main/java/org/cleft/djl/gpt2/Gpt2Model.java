package org.cleft.djl.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import java.nio.file.Path;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Gpt2Config;
import org.cleft.api.checkpoint.ModelConfig;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.djl.nn.NdOps;
import org.cleft.djl.nn.Parameters;
import org.cleft.djl.peft.TextAdapter;

/**
 * HuggingFace {@code GPT2Model} written with DJL ops: token + position embeddings, pre-LN blocks
 * with the fused {@code c_attn} in Conv1D layout, causal + padding attention, {@code ln_f}. Optional
 * peft adapters hook into every linear module and, for prefix tuning, into keys and values.
 */
public final class Gpt2Model {
  private volatile boolean training;
  /** The additive mask value for disallowed positions: {@code torch.finfo(float32).min}, as HF uses. */
  private static final float MASKED = -Float.MAX_VALUE;

  private final Gpt2Config config;
  private final Parameters params;
  private final NDArray wte;
  private final NDArray wpe;
  private final NDArray lnfWeight;
  private final NDArray lnfBias;
  private final Block[] blocks;

  private record Block(NDArray ln1w, NDArray ln1b, NDArray attnW, NDArray attnB, NDArray projW, NDArray projB,
      NDArray ln2w, NDArray ln2b, NDArray fcW, NDArray fcB, NDArray outW, NDArray outB) {}

  /**
   * Builds the model from loaded parameters, checking every tensor's shape.
   *
   * @param config the model config
   * @param params the parameters under their HF names
   * @throws CheckpointException naming the tensor and both shapes when one is missing or misshapen
   */
  public Gpt2Model(Gpt2Config config, Parameters params) throws CheckpointException {
    this.config = config;
    this.params = params;
    long e = config.nEmbd();
    long inner = config.nInner();
    wte = params.require("wte.weight", config.vocabSize(), e);
    wpe = params.require("wpe.weight", config.nPositions(), e);
    lnfWeight = params.require("ln_f.weight", e);
    lnfBias = params.require("ln_f.bias", e);
    blocks = new Block[config.nLayer()];
    for (int i = 0; i < blocks.length; i++) {
      String p = "h." + i + ".";
      blocks[i] = new Block(params.require(p + "ln_1.weight", e), params.require(p + "ln_1.bias", e),
          params.require(p + "attn.c_attn.weight", e, 3 * e), params.require(p + "attn.c_attn.bias", 3 * e),
          params.require(p + "attn.c_proj.weight", e, e), params.require(p + "attn.c_proj.bias", e),
          params.require(p + "ln_2.weight", e), params.require(p + "ln_2.bias", e),
          params.require(p + "mlp.c_fc.weight", e, inner), params.require(p + "mlp.c_fc.bias", inner),
          params.require(p + "mlp.c_proj.weight", inner, e), params.require(p + "mlp.c_proj.bias", e));
    }
    try {
      NdOps.checkActivation(config.activationFunction());
    } catch (IllegalArgumentException ex) {
      throw new CheckpointException(params.origin() + ": config field activation_function: " + ex.getMessage(), ex);
    }
  }

  /**
   * Loads a HF GPT-2 folder ({@code config.json} + {@code model.safetensors} or shards). A
   * {@code transformer.} prefix (causal-LM checkpoints) is stripped; {@code lm_head} is ignored.
   *
   * @param manager owns the loaded arrays
   * @param dir the HF model folder
   * @return the model
   * @throws CheckpointException naming the file or tensor when one is missing or misshapen
   */
  public static Gpt2Model load(NDManager manager, Path dir) throws CheckpointException {
    ModelConfig c = ModelConfig.read(dir.resolve("config.json"));
    if (!(c instanceof Gpt2Config g)) {
      throw new CheckpointException(dir.resolve("config.json") + ": model_type '" + c.modelType()
          + "' is not a text tower (expected gpt2)");
    }
    try (TensorSource source = Safetensors.openModel(dir)) {
      Parameters p = Parameters.load(manager, source, n -> !n.startsWith("lm_head.")
          && !n.endsWith(".attn.bias") && !n.endsWith(".attn.masked_bias"), "transformer.");
      return new Gpt2Model(g, p);
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** {@return the config} */
  public Gpt2Config config() {
    return config;
  }

  /**
   * Switches GPT-2's own dropout ({@code embd_pdrop}, {@code attn_pdrop}, {@code resid_pdrop}, as HF applies
   * them in {@code model.train()}) on for training or off for inference (the default).
   *
   * @param on whether the model trains
   */
  public void setTraining(boolean on) {
    training = on;
  }

  private NDArray drop(NDArray x, double p) {
    return training && p > 0 ? Dropout.dropout(x, (float) p, true).singletonOrThrow() : x;
  }

  /** {@return the parameters under their HF names (the model's own, not an adapter's)} */
  public Map<String, NDArray> parameters() {
    return params.asMap();
  }

  /**
   * {@return token embeddings {@code wte[ids]}: [batch, seq] int64 to [batch, seq, n_embd]}
   *
   * @param ids token ids [batch, seq], int64
   */
  public NDArray embed(NDArray ids) {
    return Embedding.embedding(ids, wte, SparseFormat.DENSE).singletonOrThrow();
  }

  /** {@return the token embedding matrix [vocab, n_embd]} */
  public NDArray tokenEmbeddings() {
    return wte;
  }

  /**
   * Runs the model on token embeddings.
   *
   * @param inputsEmbeds [batch, seq, n_embd]
   * @param mask [batch, seq], 1 for real tokens and 0 for right padding (any numeric type)
   * @param adapter a peft adapter, or null
   * @return the last hidden state (after {@code ln_f}), [batch, seq, n_embd]
   */
  public NDArray forward(NDArray inputsEmbeds, NDArray mask, TextAdapter adapter) {
    long[] s = inputsEmbeds.getShape().getShape();
    int batch = (int) s[0];
    int seq = (int) s[1];
    int past = adapter == null ? 0 : adapter.prefixLength();
    if (past + seq > config.nPositions()) {
      throw new IllegalArgumentException("sequence of " + seq + " tokens (+" + past + " prefix) exceeds n_positions "
          + config.nPositions());
    }
    NDManager m = inputsEmbeds.getManager();
    NDArray positions = m.arange(past, past + seq, 1, DataType.INT64);
    NDArray h = drop(inputsEmbeds.add(Embedding.embedding(positions, wpe, SparseFormat.DENSE).singletonOrThrow()),
        config.embdPdrop());
    NDArray additiveMask = attentionMask(m, mask, batch, seq, past);
    for (int i = 0; i < blocks.length; i++) {
      h = block(i, h, additiveMask, adapter, batch, seq);
    }
    return NdOps.layerNorm(h, lnfWeight, lnfBias, config.layerNormEpsilon());
  }

  private NDArray block(int i, NDArray h, NDArray additiveMask, TextAdapter adapter, int batch, int seq) {
    Block b = blocks[i];
    String p = "h." + i + ".";
    NDArray a = NdOps.layerNorm(h, b.ln1w(), b.ln1b(), config.layerNormEpsilon());
    NDArray qkv = hook(adapter, p + "attn.c_attn", a, b.attnW(), b.attnB());
    NDList parts = qkv.split(3, 2);
    NDArray q = heads(parts.get(0), batch, seq);
    NDArray k = heads(parts.get(1), batch, seq);
    NDArray v = heads(parts.get(2), batch, seq);
    if (adapter != null && adapter.prefixLength() > 0) {
      NDArray[] kv = adapter.prefix(i, batch);
      k = kv[0].concat(k, 2);
      v = kv[1].concat(v, 2);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    if (config.scaleAttnWeights()) {
      scores = NdOps.div(scores, Math.sqrt(config.headDim()));
    }
    if (config.scaleAttnByInverseLayerIdx()) {
      scores = NdOps.div(scores, i + 1);
    }
    NDArray probs = drop(scores.add(additiveMask).softmax(-1), config.attnPdrop());
    NDArray ctx = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, seq, config.nEmbd());
    h = h.add(drop(hook(adapter, p + "attn.c_proj", ctx, b.projW(), b.projB()), config.residPdrop()));
    NDArray f = NdOps.layerNorm(h, b.ln2w(), b.ln2b(), config.layerNormEpsilon());
    f = NdOps.activation(config.activationFunction(), hook(adapter, p + "mlp.c_fc", f, b.fcW(), b.fcB()));
    return h.add(drop(hook(adapter, p + "mlp.c_proj", f, b.outW(), b.outB()), config.residPdrop()));
  }

  private static NDArray hook(TextAdapter adapter, String module, NDArray x, NDArray w, NDArray bias) {
    if (adapter == null) {
      return NdOps.conv1d(x, w, bias);
    }
    return adapter.apply(module, x, in -> NdOps.conv1d(in, w, bias));
  }

  private NDArray heads(NDArray x, int batch, int seq) {
    return x.reshape(batch, seq, config.nHead(), config.headDim()).transpose(0, 2, 1, 3);
  }

  /** [batch, 1, seq, past + seq]: 0 where query i may attend to key j, the float32 minimum elsewhere. */
  private static NDArray attentionMask(NDManager m, NDArray mask, int batch, int seq, int past) {
    float[] causal = new float[seq * (past + seq)];
    for (int i = 0; i < seq; i++) {
      for (int j = past + i + 1; j < past + seq; j++) {
        causal[i * (past + seq) + j] = MASKED;
      }
    }
    NDArray c = m.create(causal, new Shape(1, 1, seq, past + seq));
    NDArray keep = mask.toType(DataType.FLOAT32, false).reshape(batch, 1, 1, seq);
    NDArray pad = keep.sub(1f).mul(Float.MAX_VALUE); // 0 for real tokens, MASKED for padding
    if (past > 0) {
      pad = NDArrays.concat(new NDList(m.zeros(new Shape(batch, 1, 1, past)), pad), 3);
    }
    // minimum() rather than add(): two masked terms must not overflow to -inf
    return c.minimum(pad);
  }
}
