package org.cleft.model.llama;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.LlamaConfig;
import org.cleft.model.Activations;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.cleft.model.TextTower;
import org.cleft.model.Weights;
import org.cleft.model.peft.AdaptableModule;
import org.cleft.model.peft.AdaptableTower;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.peft.TowerGeometry;

/**
 * HuggingFace {@code LlamaModel} (and {@code MistralModel} within its window): token embeddings, pre-norm decoder
 * layers with RMSNorm, rotary position embeddings on queries and keys, grouped-query attention (each key / value head
 * serves {@code num_attention_heads / num_key_value_heads} query heads, as {@code repeat_kv}), causal + padding mask,
 * the SiLU-gated MLP {@code down(act(gate(x)) * up(x))}, and the final norm. A peft hook wraps every linear module;
 * prefix tuning puts keys and values (of the key / value heads, not rotated) in front of every layer's own, and the
 * real tokens' positions start after the prefix, as in HF's cache.
 *
 * <p>The rotary tables (cos and sin of each position times each inverse frequency, float32 as HF computes them) are
 * constants of {@link #ROPE_TABLE_LIMIT} positions at most, which bounds the tower's {@link #positions()}.
 *
 * @param <T> the engine's tensor handle
 */
public final class LlamaTower<T> implements TextTower<T> {
  /** The prefix of a causal-LM checkpoint's tensor names ({@code LlamaForCausalLM}). */
  public static final String WRAPPER = "model.";

  /** The most positions the rotary tables cover (far beyond a report or a prompt). */
  public static final int ROPE_TABLE_LIMIT = 4096;

  private final LlamaConfig c;
  private final AdaptableTower adaptable;
  private final T embedTokens;
  private final T norm;
  private final List<Layer<T>> layers = new ArrayList<>();
  private final float[] cos;
  private final float[] sin;
  private final int rotary;
  private final int tablePositions;

  private record Layer<T>(T inputNorm, Linear<T> q, Linear<T> k, Linear<T> v, Linear<T> o, T postNorm,
      Linear<T> gate, Linear<T> up, Linear<T> down) {}

  /**
   * Asks the engine for every tensor, checking its shape.
   *
   * @param config the model config
   * @param w the tower's tensors (wrapper prefix removed)
   * @throws CheckpointException naming the file and tensor, or the config field, that does not fit
   */
  public LlamaTower(LlamaConfig config, Weights<T> w) throws CheckpointException {
    this.c = config;
    this.adaptable = adaptable(config);
    try {
      Activations.check(config.hiddenAct());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(w.origin() + ": config field hidden_act: " + e.getMessage(), e);
    }
    long h = config.hiddenSize();
    long qw = (long) config.numAttentionHeads() * config.headDim();
    long kvw = (long) config.numKeyValueHeads() * config.headDim();
    long inner = config.intermediateSize();
    boolean ab = config.attentionBias();
    boolean mb = config.mlpBias();
    embedTokens = w.tensor("embed_tokens.weight", config.vocabSize(), h);
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String p = "layers." + i + ".";
      layers.add(new Layer<>(w.tensor(p + "input_layernorm.weight", h),
          w.linear(p + "self_attn.q_proj", qw, h, ab), w.linear(p + "self_attn.k_proj", kvw, h, ab),
          w.linear(p + "self_attn.v_proj", kvw, h, ab), w.linear(p + "self_attn.o_proj", h, qw, ab),
          w.tensor(p + "post_attention_layernorm.weight", h), w.linear(p + "mlp.gate_proj", inner, h, mb),
          w.linear(p + "mlp.up_proj", inner, h, mb), w.linear(p + "mlp.down_proj", h, inner, mb)));
    }
    norm = w.tensor("norm.weight", h);
    rotary = config.rope().rotaryDim(config.headDim());
    tablePositions = Math.min(config.maxPositions(), ROPE_TABLE_LIMIT);
    float[] inv = config.rope().inverseFrequencies(rotary);
    cos = new float[tablePositions * rotary];
    sin = new float[tablePositions * rotary];
    for (int pos = 0; pos < tablePositions; pos++) {
      for (int i = 0; i < inv.length; i++) {
        float angle = (float) pos * inv[i];
        float cv = (float) Math.cos(angle);
        float sv = (float) Math.sin(angle);
        // emb = cat(freqs, freqs)
        cos[pos * rotary + i] = cv;
        cos[pos * rotary + i + inv.length] = cv;
        sin[pos * rotary + i] = sv;
        sin[pos * rotary + i + inv.length] = sv;
      }
    }
  }

  /**
   * {@return whether a checkpoint tensor is one of the tower's (not the LM head, nor the rotary buffers old
   * checkpoints carry)}
   *
   * @param name the tensor's name
   */
  public static boolean isWeight(String name) {
    return !name.startsWith("lm_head.") && !name.endsWith("rotary_emb.inv_freq");
  }

  /**
   * {@return the linear modules of a LLaMA, for peft: {@code layers.i.self_attn.q_proj}, {@code k_proj},
   * {@code v_proj}, {@code o_proj}, {@code layers.i.mlp.gate_proj}, {@code up_proj}, {@code down_proj}, all
   * {@code nn.Linear}}
   *
   * @param c the config
   */
  public static Map<String, AdaptableModule> modules(LlamaConfig c) {
    Map<String, AdaptableModule> out = new LinkedHashMap<>();
    int h = c.hiddenSize();
    int qw = c.numAttentionHeads() * c.headDim();
    int kvw = c.numKeyValueHeads() * c.headDim();
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      String p = "layers." + i + ".";
      put(out, p + "self_attn.q_proj", h, qw);
      put(out, p + "self_attn.k_proj", h, kvw);
      put(out, p + "self_attn.v_proj", h, kvw);
      put(out, p + "self_attn.o_proj", qw, h);
      put(out, p + "mlp.gate_proj", h, c.intermediateSize());
      put(out, p + "mlp.up_proj", h, c.intermediateSize());
      put(out, p + "mlp.down_proj", c.intermediateSize(), h);
    }
    return out;
  }

  private static void put(Map<String, AdaptableModule> out, String name, int in, int width) {
    out.put(name, new AdaptableModule(name, in, width, false));
  }

  /** {@return the config} */
  public LlamaConfig config() {
    return c;
  }

  /**
   * {@return what peft needs to know of a LLaMA of this config, before its weights are loaded: its modules and
   * peft's default targets for {@code llama} / {@code mistral} (LoRA {@code q_proj}, {@code v_proj}; IA3
   * {@code k_proj}, {@code v_proj}, {@code down_proj}, feed-forward {@code down_proj})}
   *
   * @param c the config
   */
  public static AdaptableTower adaptable(LlamaConfig c) {
    return new TowerGeometry(c.modelType().equals("mistral") ? "Mistral" : "LLaMA", WRAPPER, modules(c),
        c.numHiddenLayers(), c.numKeyValueHeads(), c.headDim(), Math.min(c.maxPositions(), ROPE_TABLE_LIMIT),
        List.of("q_proj", "v_proj"), List.of("k_proj", "v_proj", "down_proj"), List.of("down_proj"));
  }

  @Override
  public AdaptableTower adaptable() {
    return adaptable;
  }

  @Override
  public int width() {
    return c.hiddenSize();
  }

  @Override
  public long vocabSize() {
    return c.vocabSize();
  }

  @Override
  public T tokenEmbeddings() {
    return embedTokens;
  }

  @Override
  public T embed(Ops<T> ops, T ids) {
    return ops.scope("embed_tokens").embedding(embedTokens, ids);
  }

  @Override
  public T hidden(Ops<T> ops, T embeds, T mask, AdapterHook<T> adapter) {
    int past = adapter.prefixLength();
    Ops<T> r = ops.scope("rotary_emb");
    T positions = r.positionIds(embeds, 1, past, tablePositions);
    T cosTable = r.constant(embeds, new long[] {tablePositions, rotary}, cos);
    T sinTable = r.constant(embeds, new long[] {tablePositions, rotary}, sin);
    T cosAt = r.embedding(cosTable, positions);
    T sinAt = r.embedding(sinTable, positions);
    T allowed = ops.scope("mask").causalMask(mask, past);
    List<T> prefix = past > 0 ? adapter.prefix(ops, embeds) : null;
    T h = embeds;
    for (int i = 0; i < layers.size(); i++) {
      h = layer(ops.scope("layers." + i), i, h, allowed, cosAt, sinAt, adapter, prefix);
    }
    return h;
  }

  @Override
  public T finalNorm(Ops<T> ops, T hidden) {
    return ops.scope("norm").rmsNorm(hidden, norm, c.rmsNormEps());
  }

  private T layer(Ops<T> ops, int i, T h, T allowed, T cosAt, T sinAt, AdapterHook<T> adapter, List<T> prefix) {
    Layer<T> l = layers.get(i);
    String p = "layers." + i + ".";
    T x = ops.scope("input_layernorm").rmsNorm(h, l.inputNorm(), c.rmsNormEps());
    Ops<T> attn = ops.scope("self_attn");
    T q = heads(attn, adapter.linear(attn.scope("q_proj"), p + "self_attn.q_proj", x, l.q()), c.numAttentionHeads());
    T k = heads(attn, adapter.linear(attn.scope("k_proj"), p + "self_attn.k_proj", x, l.k()), c.numKeyValueHeads());
    T v = heads(attn, adapter.linear(attn.scope("v_proj"), p + "self_attn.v_proj", x, l.v()), c.numKeyValueHeads());
    q = rotate(attn.scope("rope_q"), q, cosAt, sinAt);
    k = rotate(attn.scope("rope_k"), k, cosAt, sinAt);
    if (prefix != null) {
      k = attn.concat(2, List.of(prefix.get(2 * i), k));
      v = attn.concat(2, List.of(prefix.get(2 * i + 1), v));
    }
    k = repeatKv(attn, k);
    v = repeatKv(attn, v);
    T scores = attn.scale(attn.matmul(q, attn.transpose(k, 0, 1, 3, 2)), Math.pow(c.headDim(), -0.5));
    T probs = attn.dropout(attn.softmax(attn.maskScores(scores, allowed)), c.attentionDropout());
    T context = attn.reshape(attn.transpose(attn.matmul(probs, v), 0, 2, 1, 3), 0, 0,
        (long) c.numAttentionHeads() * c.headDim());
    h = ops.add(h, adapter.linear(attn.scope("o_proj"), p + "self_attn.o_proj", context, l.o()));
    T m = ops.scope("post_attention_layernorm").rmsNorm(h, l.postNorm(), c.rmsNormEps());
    Ops<T> mlp = ops.scope("mlp");
    T gate = Activations.apply(mlp.scope("act_fn"), c.hiddenAct(),
        adapter.linear(mlp.scope("gate_proj"), p + "mlp.gate_proj", m, l.gate()));
    T up = adapter.linear(mlp.scope("up_proj"), p + "mlp.up_proj", m, l.up());
    return ops.add(h, adapter.linear(mlp.scope("down_proj"), p + "mlp.down_proj", mlp.mul(gate, up), l.down()));
  }

  /** [batch, seq, heads * dim] to [batch, heads, seq, dim]. */
  private T heads(Ops<T> ops, T x, int n) {
    return ops.transpose(ops.reshape(x, 0, 0, n, c.headDim()), 0, 2, 1, 3);
  }

  /**
   * {@code x * cos + rotate_half(x) * sin} on the first {@code rotary} channels of each head (all of them unless
   * {@code partial_rotary_factor} is below 1), where {@code rotate_half(x) = cat(-x2, x1)}.
   */
  private T rotate(Ops<T> ops, T x, T cosAt, T sinAt) {
    int d = c.headDim();
    T rot = rotary == d ? x : ops.slice(x, 3, 0, rotary);
    List<T> halves = ops.split(rot, 2);
    T half = ops.concat(3, List.of(ops.scale(halves.get(1), -1), halves.get(0)));
    T out = ops.add(ops.mul(rot, cosAt), ops.mul(half, sinAt));
    return rotary == d ? out : ops.concat(3, List.of(out, ops.slice(x, 3, rotary, d)));
  }

  /** HF's {@code repeat_kv}: each of the key / value heads repeated for its group of query heads (in place). */
  private T repeatKv(Ops<T> ops, T x) {
    int n = c.groups();
    if (n == 1) {
      return x;
    }
    Ops<T> r = ops.scope("repeat_kv");
    T one = r.reshape(x, 0, 0, 1, -1, c.headDim());
    List<T> copies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      copies.add(one);
    }
    return r.reshape(r.concat(2, copies), 0, c.numAttentionHeads(), -1, c.headDim());
  }
}
