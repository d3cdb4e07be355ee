package org.cleft.api.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.cleft.api.safetensors.DType;
import org.cleft.api.safetensors.HalfPrecision;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;

/**
 * Writes a new CLEFT checkpoint with randomly initialised towers, for training from scratch where no
 * pretrained weights exist (demos, tests, air-gapped experiments): a GPT-2 text tower and a
 * {@code dinov2_with_registers} image tower as plain HF folders, initialised as HF initialises them
 * (normal(0, 0.02) weights, zero biases, unit norms, GPT-2's scaled residual projections, layer
 * scale at its configured value), projection heads initialised as {@code nn.Linear} and
 * {@code logit_scale = log(1 / 0.07)}. Deterministic for a seed.
 *
 * @param textWidth GPT-2 {@code n_embd}
 * @param textLayers GPT-2 {@code n_layer}
 * @param textHeads GPT-2 {@code n_head}
 * @param textPositions GPT-2 {@code n_positions} (the longest caption plus prompt context)
 * @param visionWidth ViT {@code hidden_size}
 * @param visionLayers ViT {@code num_hidden_layers}
 * @param visionHeads ViT {@code num_attention_heads}
 * @param patchSize ViT {@code patch_size}
 * @param imageSize ViT {@code image_size} (the training input size)
 * @param registers ViT {@code num_register_tokens}
 * @param embeddingDim width of the shared embedding space
 */
public record RandomCheckpoint(int textWidth, int textLayers, int textHeads, int textPositions, int visionWidth,
    int visionLayers, int visionHeads, int patchSize, int imageSize, int registers, int embeddingDim) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final double STD = 0.02;

  /**
   * Validates the sizes.
   *
   * @param textWidth GPT-2 {@code n_embd}
   * @param textLayers GPT-2 {@code n_layer}
   * @param textHeads GPT-2 {@code n_head}
   * @param textPositions GPT-2 {@code n_positions} (the longest caption plus prompt context)
   * @param visionWidth ViT {@code hidden_size}
   * @param visionLayers ViT {@code num_hidden_layers}
   * @param visionHeads ViT {@code num_attention_heads}
   * @param patchSize ViT {@code patch_size}
   * @param imageSize ViT {@code image_size} (the training input size)
   * @param registers ViT {@code num_register_tokens}
   * @param embeddingDim width of the shared embedding space
   */
  public RandomCheckpoint {
    check(textWidth % textHeads == 0, "textWidth " + textWidth + " must be a multiple of textHeads " + textHeads);
    check(visionWidth % visionHeads == 0, "visionWidth " + visionWidth + " must be a multiple of visionHeads " + visionHeads);
    check(imageSize % patchSize == 0, "imageSize " + imageSize + " must be a multiple of patchSize " + patchSize);
    check(textLayers > 0 && visionLayers > 0 && embeddingDim > 0 && textPositions > 1 && registers >= 0,
        "layers, embeddingDim and registers must be positive (registers may be 0)");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("RandomCheckpoint: " + message);
    }
  }

  /**
   * Writes the checkpoint.
   *
   * @param out the checkpoint directory (created; must not hold a checkpoint already)
   * @param tokenizerDir a folder with the GPT-2 tokenizer ({@code tokenizer.json} or {@code vocab.json} +
   *     {@code merges.txt}, and optionally {@code tokenizer_config.json}), copied into {@code text/}
   * @param vocabSize the tokenizer's vocabulary size
   * @param seed the seed
   * @return {@code out}
   * @throws IOException when writing fails
   */
  public Path write(Path out, Path tokenizerDir, int vocabSize, long seed) throws IOException {
    return write(out, tokenizerDir, vocabSize, seed, null, 0);
  }

  /**
   * Writes the checkpoint with the text tower as sharded safetensors of {@code textDtype} with a
   * {@code model.safetensors.index.json}, as large HF models are published: for towers of billions of
   * parameters (memory and load tests, benchmarks at the paper's scale). The text weights are drawn uniformly with
   * the standard deviation of HF's normal initialisation (uniform is several times faster to draw), one shard at a
   * time, so that at most one shard is in memory; the image tower and heads are as {@link #write(Path, Path, int,
   * long)} writes them.
   *
   * @param out the checkpoint directory (created; must not hold a checkpoint already)
   * @param tokenizerDir a folder with the GPT-2 tokenizer, copied into {@code text/}
   * @param vocabSize the tokenizer's vocabulary size
   * @param seed the seed
   * @param textDtype {@code F32}, {@code F16} or {@code BF16}
   * @param maxShardBytes most bytes of tensor data per shard, positive
   * @return {@code out}
   * @throws IOException when writing fails
   */
  public Path writeSharded(Path out, Path tokenizerDir, int vocabSize, long seed, DType textDtype, long maxShardBytes)
      throws IOException {
    if (textDtype == null || !textDtype.isFloatingPoint() || textDtype == DType.F64) {
      throw new IllegalArgumentException("textDtype must be F32, F16 or BF16, got " + textDtype);
    }
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    }
    return write(out, tokenizerDir, vocabSize, seed, textDtype, maxShardBytes);
  }

  private Path write(Path out, Path tokenizerDir, int vocabSize, long seed, DType textDtype, long maxShardBytes)
      throws IOException {
    if (Files.exists(out.resolve(CleftCheckpoint.MANIFEST))) {
      throw new IOException(out + ": already holds a checkpoint (cleft.json); choose an empty folder");
    }
    Random r = new Random(seed);
    Path text = Files.createDirectories(out.resolve("text"));
    for (String f : List.of("tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json")) {
      if (Files.isRegularFile(tokenizerDir.resolve(f))) {
        Files.copy(tokenizerDir.resolve(f), text.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    JSON.writeValue(text.resolve("config.json").toFile(), gpt2Config(vocabSize));
    if (textDtype == null) {
      SafetensorsWriter.write(text.resolve("model.safetensors"), gpt2Weights(vocabSize, r), Map.of("format", "pt"));
    } else {
      writeShards(text, vocabSize, new SplittableRandom(seed), textDtype, maxShardBytes);
    }
    Path vision = Files.createDirectories(out.resolve("vision"));
    JSON.writeValue(vision.resolve("config.json").toFile(), dinov2Config());
    SafetensorsWriter.write(vision.resolve("model.safetensors"), dinov2Weights(r), Map.of("format", "pt"));
    SafetensorsWriter.write(out.resolve("heads.safetensors"), heads(r), Map.of("format", "pt"));
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("init", "random");
    provenance.put("seed", seed);
    new CleftManifest(null, 0, new CleftManifest.Text("text", null, null, textPositions),
        new CleftManifest.Vision("vision", null, imageSize), null, null, provenance)
        .write(out.resolve(CleftCheckpoint.MANIFEST));
    return out;
  }

  private Map<String, Object> gpt2Config(int vocabSize) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model_type", "gpt2");
    c.put("architectures", List.of("GPT2Model"));
    c.put("activation_function", "gelu_new");
    c.put("vocab_size", vocabSize);
    c.put("n_positions", textPositions);
    c.put("n_embd", textWidth);
    c.put("n_layer", textLayers);
    c.put("n_head", textHeads);
    c.put("n_inner", null);
    c.put("layer_norm_epsilon", 1e-5);
    c.put("initializer_range", STD);
    c.put("attn_pdrop", 0.0);
    c.put("embd_pdrop", 0.0);
    c.put("resid_pdrop", 0.0);
    c.put("scale_attn_weights", true);
    c.put("scale_attn_by_inverse_layer_idx", false);
    c.put("reorder_and_upcast_attn", false);
    c.put("bos_token_id", vocabSize - 1);
    c.put("eos_token_id", vocabSize - 1);
    c.put("tie_word_embeddings", true);
    return c;
  }

  private Map<String, Object> dinov2Config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model_type", "dinov2_with_registers");
    c.put("architectures", List.of("Dinov2WithRegistersModel"));
    c.put("hidden_size", visionWidth);
    c.put("num_hidden_layers", visionLayers);
    c.put("num_attention_heads", visionHeads);
    c.put("mlp_ratio", 4);
    c.put("hidden_act", "gelu");
    c.put("hidden_dropout_prob", 0.0);
    c.put("attention_probs_dropout_prob", 0.0);
    c.put("initializer_range", STD);
    c.put("layer_norm_eps", 1e-6);
    c.put("image_size", imageSize);
    c.put("patch_size", patchSize);
    c.put("num_channels", 3);
    c.put("qkv_bias", true);
    c.put("layerscale_value", 1.0);
    c.put("drop_path_rate", 0.0);
    c.put("use_swiglu_ffn", false);
    c.put("num_register_tokens", registers);
    c.put("apply_layernorm", true);
    return c;
  }

  private Map<String, Tensor> gpt2Weights(int vocabSize, Random r) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    int d = textWidth;
    w.put("wte.weight", normal(r, STD, vocabSize, d));
    w.put("wpe.weight", normal(r, STD, textPositions, d));
    double projStd = STD / Math.sqrt(2.0 * textLayers);
    for (int i = 0; i < textLayers; i++) {
      String p = "h." + i + ".";
      norm(w, p + "ln_1", d);
      w.put(p + "attn.c_attn.weight", normal(r, STD, d, 3 * d));
      w.put(p + "attn.c_attn.bias", zeros(3 * d));
      w.put(p + "attn.c_proj.weight", normal(r, projStd, d, d));
      w.put(p + "attn.c_proj.bias", zeros(d));
      norm(w, p + "ln_2", d);
      w.put(p + "mlp.c_fc.weight", normal(r, STD, d, 4 * d));
      w.put(p + "mlp.c_fc.bias", zeros(4 * d));
      w.put(p + "mlp.c_proj.weight", normal(r, projStd, 4 * d, d));
      w.put(p + "mlp.c_proj.bias", zeros(d));
    }
    norm(w, "ln_f", d);
    return w;
  }

  /** GPT-2's tensors as (name, shape, std) with std 0 for zero biases and -1 for unit norm weights, in file order. */
  private List<Object[]> gpt2Layout(int vocabSize) {
    List<Object[]> t = new ArrayList<>();
    long d = textWidth;
    double projStd = STD / Math.sqrt(2.0 * textLayers);
    t.add(new Object[] {"wte.weight", new long[] {vocabSize, d}, STD});
    t.add(new Object[] {"wpe.weight", new long[] {textPositions, d}, STD});
    for (int i = 0; i < textLayers; i++) {
      String p = "h." + i + ".";
      t.add(new Object[] {p + "ln_1.weight", new long[] {d}, -1.0});
      t.add(new Object[] {p + "ln_1.bias", new long[] {d}, 0.0});
      t.add(new Object[] {p + "attn.c_attn.weight", new long[] {d, 3 * d}, STD});
      t.add(new Object[] {p + "attn.c_attn.bias", new long[] {3 * d}, 0.0});
      t.add(new Object[] {p + "attn.c_proj.weight", new long[] {d, d}, projStd});
      t.add(new Object[] {p + "attn.c_proj.bias", new long[] {d}, 0.0});
      t.add(new Object[] {p + "ln_2.weight", new long[] {d}, -1.0});
      t.add(new Object[] {p + "ln_2.bias", new long[] {d}, 0.0});
      t.add(new Object[] {p + "mlp.c_fc.weight", new long[] {d, 4 * d}, STD});
      t.add(new Object[] {p + "mlp.c_fc.bias", new long[] {4 * d}, 0.0});
      t.add(new Object[] {p + "mlp.c_proj.weight", new long[] {4 * d, d}, projStd});
      t.add(new Object[] {p + "mlp.c_proj.bias", new long[] {d}, 0.0});
    }
    t.add(new Object[] {"ln_f.weight", new long[] {d}, -1.0});
    t.add(new Object[] {"ln_f.bias", new long[] {d}, 0.0});
    return t;
  }

  /** The GPT-2 tensors in shards of at most {@code maxShardBytes}, generated and written one shard at a time. */
  private void writeShards(Path text, int vocabSize, SplittableRandom r, DType dtype, long maxShardBytes)
      throws IOException {
    List<List<Object[]>> shards = new ArrayList<>();
    List<Object[]> current = new ArrayList<>();
    long bytes = 0;
    for (Object[] t : gpt2Layout(vocabSize)) {
      long size = count((long[]) t[1]) * dtype.byteSize();
      if (!current.isEmpty() && bytes + size > maxShardBytes) {
        shards.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(t);
      bytes += size;
    }
    shards.add(current);
    Map<String, String> weightMap = new LinkedHashMap<>();
    long total = 0;
    for (int i = 0; i < shards.size(); i++) {
      String file = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Object[] t : shards.get(i)) {
        Tensor tensor = draw(r, dtype, (long[]) t[1], (double) t[2]);
        tensors.put((String) t[0], tensor);
        weightMap.put((String) t[0], file);
        total += tensor.byteLength();
      }
      SafetensorsWriter.write(text.resolve(file), tensors, Map.of("format", "pt"));
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("metadata", Map.of("total_size", total));
    index.put("weight_map", weightMap);
    JSON.writeValue(text.resolve("model.safetensors.index.json").toFile(), index);
  }

  /** Uniform values of standard deviation {@code std} (0: zeros, -1: ones) as {@code dtype}, drawn 16 bits each. */
  private static Tensor draw(SplittableRandom r, DType dtype, long[] shape, double std) {
    int n = Math.toIntExact(count(shape));
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(n, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    float bound = (float) (std * Math.sqrt(3));
    long bits = 0;
    for (int i = 0; i < n; i++) {
      float v;
      if (std == 0 || std == -1) {
        v = std == 0 ? 0f : 1f;
      } else {
        if ((i & 3) == 0) {
          bits = r.nextLong();
        }
        v = bound * (((bits >>> ((i & 3) * 16)) & 0xffff) * (2f / 65535f) - 1f);
      }
      switch (dtype) {
        case F32 -> b.putFloat(v);
        case F16 -> b.putShort(HalfPrecision.floatToF16(v));
        default -> b.putShort(HalfPrecision.floatToBf16(v));
      }
    }
    return new Tensor(dtype, shape, b.flip());
  }

  private Map<String, Tensor> dinov2Weights(Random r) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    int d = visionWidth;
    int patches = (imageSize / patchSize) * (imageSize / patchSize);
    w.put("embeddings.cls_token", normal(r, STD, 1, 1, d));
    w.put("embeddings.mask_token", zeros(1, d));
    if (registers > 0) {
      w.put("embeddings.register_tokens", normal(r, STD, 1, registers, d));
    }
    w.put("embeddings.position_embeddings", normal(r, STD, 1, patches + 1, d));
    w.put("embeddings.patch_embeddings.projection.weight", normal(r, STD, d, 3, patchSize, patchSize));
    w.put("embeddings.patch_embeddings.projection.bias", zeros(d));
    for (int i = 0; i < visionLayers; i++) {
      String p = "encoder.layer." + i + ".";
      norm(w, p + "norm1", d);
      for (String m : List.of("query", "key", "value")) {
        w.put(p + "attention.attention." + m + ".weight", normal(r, STD, d, d));
        w.put(p + "attention.attention." + m + ".bias", zeros(d));
      }
      w.put(p + "attention.output.dense.weight", normal(r, STD, d, d));
      w.put(p + "attention.output.dense.bias", zeros(d));
      w.put(p + "layer_scale1.lambda1", filled(1f, d));
      norm(w, p + "norm2", d);
      w.put(p + "mlp.fc1.weight", normal(r, STD, 4 * d, d));
      w.put(p + "mlp.fc1.bias", zeros(4 * d));
      w.put(p + "mlp.fc2.weight", normal(r, STD, d, 4 * d));
      w.put(p + "mlp.fc2.bias", zeros(d));
      w.put(p + "layer_scale2.lambda1", filled(1f, d));
    }
    norm(w, "layernorm", d);
    return w;
  }

  private Map<String, Tensor> heads(Random r) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    w.put("image_projection.weight", uniform(r, 1 / Math.sqrt(visionWidth), embeddingDim, visionWidth));
    w.put("image_projection.bias", uniform(r, 1 / Math.sqrt(visionWidth), embeddingDim));
    w.put("text_projection.weight", uniform(r, 1 / Math.sqrt(textWidth), embeddingDim, textWidth));
    w.put("text_projection.bias", uniform(r, 1 / Math.sqrt(textWidth), embeddingDim));
    w.put("logit_scale", filled((float) Math.log(1 / 0.07), 1));
    return w;
  }

  private static void norm(Map<String, Tensor> w, String name, int d) {
    w.put(name + ".weight", filled(1f, d));
    w.put(name + ".bias", zeros(d));
  }

  private static Tensor normal(Random r, double std, long... shape) {
    float[] v = new float[size(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (std * r.nextGaussian());
    }
    return Tensor.ofFloats(shape, v);
  }

  private static Tensor uniform(Random r, double bound, long... shape) {
    float[] v = new float[size(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (bound * (2 * r.nextDouble() - 1));
    }
    return Tensor.ofFloats(shape, v);
  }

  private static Tensor zeros(long... shape) {
    return Tensor.ofFloats(shape, new float[size(shape)]);
  }

  private static Tensor filled(float value, long... shape) {
    float[] v = new float[size(shape)];
    java.util.Arrays.fill(v, value);
    return Tensor.ofFloats(shape, v);
  }

  private static long count(long... shape) {
    long n = 1;
    for (long s : shape) {
      n = Math.multiplyExact(n, s);
    }
    return n;
  }

  private static int size(long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return Math.toIntExact(n);
  }
}
