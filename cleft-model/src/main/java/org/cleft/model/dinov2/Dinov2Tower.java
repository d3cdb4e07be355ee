package org.cleft.model.dinov2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Dinov2Config;
import org.cleft.api.vision.BicubicWeights;
import org.cleft.model.Activations;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.cleft.model.VisionTower;
import org.cleft.model.Weights;

/**
 * HuggingFace {@code Dinov2Model} and {@code Dinov2WithRegistersModel}: patch embedding, CLS token, position
 * embeddings interpolated to the input size exactly as each model type does, register tokens (after the CLS token,
 * without a position), pre-norm blocks with layer scale and an MLP or SwiGLU, and the final layer norm.
 *
 * @param <T> the engine's tensor handle
 */
public final class Dinov2Tower<T> implements VisionTower<T> {
  /** The prefix of an image-classification checkpoint's tensor names ({@code Dinov2ForImageClassification}). */
  public static final String WRAPPER = "dinov2.";
  private static final String POSITIONS = "embeddings.position_embeddings";
  private static final String FINAL_NORM = "layernorm";

  private final Dinov2Config c;
  private final Weights<T> weights;
  private final int gridSide;
  private final T cls;
  private final T registers;
  private final T positions;
  private final T patchWeight;
  private final T patchBias;
  private final List<Block<T>> blocks = new ArrayList<>();
  private volatile T[] finalNorm;

  private record Block<T>(T n1w, T n1b, Linear<T> q, Linear<T> k, Linear<T> v, Linear<T> o, T ls1, T n2w, T n2b,
      Linear<T> fc1, Linear<T> fc2, T ls2) {}

  /**
   * Asks the engine for every tensor, checking its shape (the final norm's is checked now and fetched when first
   * used: CLEFT pools before it).
   *
   * @param config the model config
   * @param w the tower's tensors (wrapper prefix removed)
   * @throws CheckpointException naming the file and tensor, or the config field, that does not fit
   */
  public Dinov2Tower(Dinov2Config config, Weights<T> w) throws CheckpointException {
    this.c = config;
    this.weights = w;
    if (!config.useSwigluFfn()) {
      try {
        Activations.check(config.hiddenAct());
      } catch (IllegalArgumentException e) {
        throw new CheckpointException(w.origin() + ": config field hidden_act: " + e.getMessage(), e);
      }
    }
    long d = config.hiddenSize();
    long[] shape = w.shape(POSITIONS);
    long count = shape.length == 3 ? shape[1] : 0;
    int side = (int) Math.round(Math.sqrt(count - 1));
    if (count < 2 || (long) side * side != count - 1) {
      throw new CheckpointException(w.origin() + ": tensor '" + POSITIONS + "' has shape " + Arrays.toString(shape)
          + "; expected [1, 1 + a square number of patches, " + d + "]");
    }
    gridSide = side;
    cls = w.tensor("embeddings.cls_token", 1, 1, d);
    registers = config.numRegisterTokens() > 0
        ? w.tensor("embeddings.register_tokens", 1, config.numRegisterTokens(), d) : null;
    positions = w.tensor(POSITIONS, 1, count, d);
    int p = config.patchSize();
    patchWeight = w.tensor("embeddings.patch_embeddings.projection.weight", d, config.numChannels(), p, p);
    patchBias = w.tensor("embeddings.patch_embeddings.projection.bias", d);
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      blocks.add(block(w, "encoder.layer." + i + "."));
    }
    checkShape(w, FINAL_NORM + ".weight", d);
    checkShape(w, FINAL_NORM + ".bias", d);
  }

  private Block<T> block(Weights<T> w, String p) throws CheckpointException {
    long d = c.hiddenSize();
    String a = p + "attention.";
    boolean qkvBias = c.qkvBias();
    long hidden = c.useSwigluFfn() ? swigluHidden() : c.mlpHiddenSize();
    String in = c.useSwigluFfn() ? "mlp.weights_in" : "mlp.fc1";
    String out = c.useSwigluFfn() ? "mlp.weights_out" : "mlp.fc2";
    return new Block<>(w.tensor(p + "norm1.weight", d), w.tensor(p + "norm1.bias", d),
        w.linear(a + "attention.query", d, d, qkvBias), w.linear(a + "attention.key", d, d, qkvBias),
        w.linear(a + "attention.value", d, d, qkvBias), w.linear(a + "output.dense", d, d, true),
        w.tensor(p + "layer_scale1.lambda1", d), w.tensor(p + "norm2.weight", d), w.tensor(p + "norm2.bias", d),
        w.linear(p + in, c.useSwigluFfn() ? 2 * hidden : hidden, d, true), w.linear(p + out, d, hidden, true),
        w.tensor(p + "layer_scale2.lambda1", d));
  }

  /** HF {@code Dinov2SwiGLUFFN}'s hidden width: {@code int(mlp_ratio * hidden * 2 / 3)} rounded up to 8. */
  private long swigluHidden() {
    return ((long) (c.mlpHiddenSize() * 2 / 3) + 7) / 8 * 8;
  }

  private static void checkShape(Weights<?> w, String name, long... expected) throws CheckpointException {
    long[] actual = w.shape(name);
    if (!Arrays.equals(actual, expected)) {
      throw new CheckpointException(w.origin() + ": tensor '" + name + "' has shape " + Arrays.toString(actual)
          + ", expected " + Arrays.toString(expected));
    }
  }

  /**
   * {@return whether a checkpoint tensor is one of the tower's (not a classifier head)}
   *
   * @param name the tensor's name
   */
  public static boolean isWeight(String name) {
    return !name.startsWith("classifier.");
  }

  /**
   * {@return whether a tower parameter is off CLEFT's path and gets no gradient: the mask token (used only with
   * masked inputs) and the final norm (CLEFT pools before it)}
   *
   * @param name the parameter's name
   */
  public static boolean isUnused(String name) {
    return name.equals("embeddings.mask_token") || name.startsWith(FINAL_NORM + ".");
  }

  /**
   * {@return the block a parameter belongs to, or -1 for one outside the blocks}
   *
   * @param name the parameter's name
   */
  public static int blockOf(String name) {
    String layers = "encoder.layer.";
    if (!name.startsWith(layers)) {
      return -1;
    }
    String rest = name.substring(layers.length());
    return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
  }

  /**
   * {@return how an export at {@code size} x {@code size} pixels describes the tower (for {@code export.json})}
   *
   * @param c the config
   * @param size the input size
   */
  public static Map<String, Object> describe(Dinov2Config c, int size) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_type", c.modelType());
    m.put("config_image_size", c.imageSize());
    m.put("patch_size", c.patchSize());
    m.put("register_tokens", c.numRegisterTokens());
    m.put("position_interpolation", size / c.patchSize() == c.patchesPerSide() ? "none"
        : c.withRegisters() ? "bicubic antialiased (a=-0.5)" : "bicubic (A=-0.75)");
    return m;
  }

  /** {@return the config} */
  public Dinov2Config config() {
    return c;
  }

  @Override
  public int width() {
    return c.hiddenSize();
  }

  @Override
  public int channels() {
    return c.numChannels();
  }

  @Override
  public int patchSize() {
    return c.patchSize();
  }

  @Override
  public int layers() {
    return c.numHiddenLayers();
  }

  @Override
  public void checkInput(long channels, long height, long width) {
    if (channels != c.numChannels()) {
      throw new IllegalArgumentException("pixel_values has " + channels + " channels; the vision tower expects "
          + c.numChannels());
    }
    int p = c.patchSize();
    if (height % p != 0 || width % p != 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image size " + height + "x" + width + " is not a positive multiple of the "
          + "patch size " + p + " (try " + Math.max(p, height / p * p) + "x" + Math.max(p, width / p * p) + ")");
    }
  }

  @Override
  public T lastBlock(Ops<T> ops, T pixels, int height, int width) {
    int p = c.patchSize();
    long d = c.hiddenSize();
    Ops<T> emb = ops.scope("embeddings");
    T x = emb.patchConv(pixels, patchWeight, patchBias, p);
    x = emb.transpose(emb.reshape(x, 0, d, -1), 0, 2, 1);
    T first = emb.add(cls, emb.slice(positions, 1, 0, 1));
    List<T> tokens = new ArrayList<>();
    tokens.add(emb.expandBatch(first, x));
    if (registers != null) {
      tokens.add(emb.expandBatch(registers, x));
    }
    tokens.add(emb.add(x, patchPositions(emb, height / p, width / p)));
    x = emb.concat(1, tokens);
    for (int i = 0; i < blocks.size(); i++) {
      x = block(ops.scope("encoder.layer." + i), blocks.get(i), x);
    }
    return x;
  }

  /**
   * The patch positions for a grid of {@code gh} x {@code gw}: the checkpoint's when the grid matches, else
   * interpolated bicubically as the HF model type does (plain, A = -0.75, for {@code dinov2}; antialiased, a = -0.5,
   * for {@code dinov2_with_registers}, as transformers 5 does): {@code kron(Wh, Ww) @ positions}.
   */
  private T patchPositions(Ops<T> ops, int gh, int gw) {
    T patch = ops.slice(positions, 1, 1, 1L + (long) gridSide * gridSide);
    if (gh == gridSide && gw == gridSide) {
      return patch;
    }
    boolean aa = c.withRegisters();
    double[][] wh = aa ? BicubicWeights.antialiased(gridSide, gh) : BicubicWeights.plain(gridSide, gh);
    double[][] ww = aa ? BicubicWeights.antialiased(gridSide, gw) : BicubicWeights.plain(gridSide, gw);
    T k = ops.constant(patch, new long[] {(long) gh * gw, (long) gridSide * gridSide}, BicubicWeights.kron(wh, ww));
    return ops.matmul(k, patch);
  }

  private T block(Ops<T> ops, Block<T> b, T x) {
    int heads = c.numAttentionHeads();
    int hd = c.headDim();
    T h = ops.scope("norm1").layerNorm(x, b.n1w(), b.n1b(), c.layerNormEps());
    Ops<T> attn = ops.scope("attention");
    T q = heads(attn, attn.scope("query").linear(h, b.q()), heads, hd);
    T k = heads(attn, attn.scope("key").linear(h, b.k()), heads, hd);
    T v = heads(attn, attn.scope("value").linear(h, b.v()), heads, hd);
    T probs = attn.softmax(attn.scale(attn.matmul(q, attn.transpose(k, 0, 1, 3, 2)), Math.pow(hd, -0.5)));
    T context = attn.reshape(attn.transpose(attn.matmul(probs, v), 0, 2, 1, 3), 0, 0, c.hiddenSize());
    x = ops.add(x, ops.scope("layer_scale1").mul(attn.scope("output").linear(context, b.o()), b.ls1()));
    T f = ops.scope("norm2").layerNorm(x, b.n2w(), b.n2b(), c.layerNormEps());
    Ops<T> mlp = ops.scope("mlp");
    if (c.useSwigluFfn()) {
      List<T> halves = mlp.split(mlp.scope("weights_in").linear(f, b.fc1()), 2);
      f = mlp.scope("weights_out").linear(mlp.mul(Activations.silu(mlp, halves.get(0)), halves.get(1)), b.fc2());
    } else {
      f = mlp.scope("fc2").linear(Activations.apply(mlp, c.hiddenAct(), mlp.scope("fc1").linear(f, b.fc1())), b.fc2());
    }
    return ops.add(x, ops.scope("layer_scale2").mul(f, b.ls2()));
  }

  private static <T> T heads(Ops<T> ops, T x, int heads, int headDim) {
    return ops.transpose(ops.reshape(x, 0, 0, heads, headDim), 0, 2, 1, 3);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T finalNorm(Ops<T> ops, T states) throws CheckpointException {
    T[] norm = finalNorm;
    if (norm == null) {
      long d = c.hiddenSize();
      norm = (T[]) new Object[] {weights.tensor(FINAL_NORM + ".weight", d), weights.tensor(FINAL_NORM + ".bias", d)};
      finalNorm = norm;
    }
    return ops.scope(FINAL_NORM).layerNorm(states, norm[0], norm[1], c.layerNormEps());
  }
}
