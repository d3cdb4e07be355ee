package org.cleft.model.gpt2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Gpt2Config;
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
 * HuggingFace {@code GPT2Model}: token + position embeddings, pre-LN blocks with the fused {@code c_attn} in
 * {@code Conv1D} layout, causal + padding attention, {@code ln_f}; GPT-2's dropouts where the engine trains. A peft
 * hook wraps every linear module and, for prefix tuning, adds keys and values in front of every layer's own (the
 * positions of the real tokens then start after the prefix, as in peft).
 *
 * @param <T> the engine's tensor handle
 */
public final class Gpt2Tower<T> implements TextTower<T> {
  /** The prefix of a causal-LM checkpoint's tensor names ({@code GPT2LMHeadModel}). */
  public static final String WRAPPER = "transformer.";

  private final Gpt2Config c;
  private final AdaptableTower adaptable;
  private final T wte;
  private final T wpe;
  private final Norm<T> lnf;
  private final List<Block<T>> blocks = new ArrayList<>();

  private record Norm<T>(T weight, T bias) {}

  private record Block<T>(Norm<T> ln1, Linear<T> attn, Linear<T> proj, Norm<T> ln2, Linear<T> fc, Linear<T> out) {}

  /**
   * Asks the engine for every tensor, checking its shape.
   *
   * @param config the model config
   * @param w the tower's tensors (wrapper prefix removed)
   * @throws CheckpointException naming the file and tensor, or the config field, that does not fit
   */
  public Gpt2Tower(Gpt2Config config, Weights<T> w) throws CheckpointException {
    this.c = config;
    this.adaptable = adaptable(config);
    try {
      Activations.check(config.activationFunction());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(w.origin() + ": config field activation_function: " + e.getMessage(), e);
    }
    long e = config.nEmbd();
    wte = w.tensor("wte.weight", config.vocabSize(), e);
    wpe = w.tensor("wpe.weight", config.nPositions(), e);
    for (int i = 0; i < config.nLayer(); i++) {
      String p = "h." + i + ".";
      blocks.add(new Block<>(norm(w, p + "ln_1"), w.conv1d(p + "attn.c_attn", e, 3 * e),
          w.conv1d(p + "attn.c_proj", e, e), norm(w, p + "ln_2"), w.conv1d(p + "mlp.c_fc", e, config.nInner()),
          w.conv1d(p + "mlp.c_proj", config.nInner(), e)));
    }
    lnf = norm(w, "ln_f");
  }

  private Norm<T> norm(Weights<T> w, String name) throws CheckpointException {
    return new Norm<>(w.tensor(name + ".weight", c.nEmbd()), w.tensor(name + ".bias", c.nEmbd()));
  }

  /**
   * {@return whether a checkpoint tensor is one of the tower's (not the LM head, nor the causal-mask buffers old
   * checkpoints carry)}
   *
   * @param name the tensor's name
   */
  public static boolean isWeight(String name) {
    return !name.startsWith("lm_head.") && !name.endsWith(".attn.bias") && !name.endsWith(".attn.masked_bias");
  }

  /**
   * {@return the linear modules of a GPT-2, for peft: {@code h.i.attn.c_attn}, {@code c_proj}, {@code mlp.c_fc},
   * {@code mlp.c_proj}, all {@code Conv1D}}
   *
   * @param c the config
   */
  public static Map<String, AdaptableModule> modules(Gpt2Config c) {
    Map<String, AdaptableModule> out = new LinkedHashMap<>();
    for (int i = 0; i < c.nLayer(); i++) {
      String p = "h." + i + ".";
      put(out, p + "attn.c_attn", c.nEmbd(), 3 * c.nEmbd());
      put(out, p + "attn.c_proj", c.nEmbd(), c.nEmbd());
      put(out, p + "mlp.c_fc", c.nEmbd(), c.nInner());
      put(out, p + "mlp.c_proj", c.nInner(), c.nEmbd());
    }
    return out;
  }

  private static void put(Map<String, AdaptableModule> out, String name, int in, int width) {
    out.put(name, new AdaptableModule(name, in, width, true));
  }

  /** {@return the config} */
  public Gpt2Config config() {
    return c;
  }

  /**
   * {@return what peft needs to know of a GPT-2 of this config, before its weights are loaded (to merge an adapter
   * into them)}
   *
   * @param c the config
   */
  public static AdaptableTower adaptable(Gpt2Config c) {
    return new TowerGeometry("GPT-2", WRAPPER, modules(c), c.nLayer(), c.nHead(), c.headDim(), c.nPositions(),
        List.of("c_attn"), List.of("c_attn", "mlp.c_proj"), List.of("mlp.c_proj"));
  }

  @Override
  public AdaptableTower adaptable() {
    return adaptable;
  }

  @Override
  public int width() {
    return c.nEmbd();
  }

  @Override
  public long vocabSize() {
    return c.vocabSize();
  }

  @Override
  public T tokenEmbeddings() {
    return wte;
  }

  @Override
  public T embed(Ops<T> ops, T ids) {
    return ops.scope("wte").embedding(wte, ids);
  }

  @Override
  public T hidden(Ops<T> ops, T embeds, T mask, AdapterHook<T> adapter) {
    int past = adapter.prefixLength();
    Ops<T> pos = ops.scope("wpe");
    T positions = pos.embedding(wpe, pos.positionIds(embeds, 1, past, c.nPositions()));
    T h = ops.dropout(ops.add(embeds, positions), c.embdPdrop());
    T allowed = ops.scope("mask").causalMask(mask, past);
    List<T> prefix = past > 0 ? adapter.prefix(ops, embeds) : null;
    for (int i = 0; i < blocks.size(); i++) {
      h = block(ops.scope("h." + i), i, h, allowed, adapter, prefix);
    }
    return h;
  }

  @Override
  public T finalNorm(Ops<T> ops, T hidden) {
    return ops.scope("ln_f").layerNorm(hidden, lnf.weight(), lnf.bias(), c.layerNormEpsilon());
  }

  private T block(Ops<T> ops, int i, T h, T allowed, AdapterHook<T> adapter, List<T> prefix) {
    Block<T> b = blocks.get(i);
    String p = "h." + i + ".";
    T a = ops.scope("ln_1").layerNorm(h, b.ln1().weight(), b.ln1().bias(), c.layerNormEpsilon());
    Ops<T> attn = ops.scope("attn");
    List<T> qkv = attn.split(adapter.linear(attn.scope("c_attn"), p + "attn.c_attn", a, b.attn()), 3);
    T q = heads(attn, qkv.get(0));
    T k = heads(attn, qkv.get(1));
    T v = heads(attn, qkv.get(2));
    if (prefix != null) {
      k = attn.concat(2, List.of(prefix.get(2 * i), k));
      v = attn.concat(2, List.of(prefix.get(2 * i + 1), v));
    }
    T scores = attn.matmul(q, attn.transpose(k, 0, 1, 3, 2));
    if (c.scaleAttnWeights()) {
      scores = attn.scale(scores, 1 / Math.sqrt(c.headDim()));
    }
    if (c.scaleAttnByInverseLayerIdx()) {
      scores = attn.scale(scores, 1.0 / (i + 1));
    }
    T probs = attn.dropout(attn.softmax(attn.maskScores(scores, allowed)), c.attnPdrop());
    T context = attn.reshape(attn.transpose(attn.matmul(probs, v), 0, 2, 1, 3), 0, 0, c.nEmbd());
    T projected = adapter.linear(attn.scope("c_proj"), p + "attn.c_proj", context, b.proj());
    h = ops.add(h, ops.dropout(projected, c.residPdrop()));
    T f = ops.scope("ln_2").layerNorm(h, b.ln2().weight(), b.ln2().bias(), c.layerNormEpsilon());
    Ops<T> mlp = ops.scope("mlp");
    f = Activations.apply(mlp.scope("act"), c.activationFunction(),
        adapter.linear(mlp.scope("c_fc"), p + "mlp.c_fc", f, b.fc()));
    T out = adapter.linear(mlp.scope("c_proj"), p + "mlp.c_proj", f, b.out());
    return ops.add(h, ops.dropout(out, c.residPdrop()));
  }

  /** [batch, seq, heads * dim] to [batch, heads, seq, dim]. */
  private T heads(Ops<T> ops, T x) {
    return ops.transpose(ops.reshape(x, 0, 0, c.nHead(), c.headDim()), 0, 2, 1, 3);
  }
}
