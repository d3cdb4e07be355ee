package org.cleft.onnx.export;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.Gpt2Config;
import org.cleft.api.checkpoint.Ia3Config;
import org.cleft.api.checkpoint.LoraConfig;
import org.cleft.api.checkpoint.PrefixTuningConfig;

/**
 * A peft adapter of the GPT-2 tower as the exporter applies it. LoRA is merged into the Conv1D
 * weights ({@code W + scaling * (B A)^T}, GPT-2 stores Conv1D weights as [in, out], which is what peft
 * does with {@code fan_in_fan_out} for Conv1D); IA3 is folded into them (an attention module's output
 * vector scales the weight's columns and the bias, a feed-forward module's input vector scales the
 * weight's rows); prefix tuning stays in the graph as learned keys and values per layer.
 */
final class TextAdapter {
  /** How the adapter ends up in the exported graph. */
  enum Handling {
    /** No adapter. */
    NONE,
    /** LoRA deltas added to the base weights. */
    MERGED,
    /** IA3 vectors multiplied into the base weights. */
    FOLDED,
    /** Prefix keys and values as constants of the graph. */
    IN_GRAPH
  }

  /** Changes one base tensor. */
  private interface Change {
    Param apply(Param base);
  }

  private final String peftType;
  private final Handling handling;
  private final Path folder;
  private final Map<String, Change> weightChanges;
  private final Map<String, Change> biasChanges;
  private final Param prefix;
  private final int prefixLength;
  private final Gpt2Config model;

  private TextAdapter(String peftType, Handling handling, Path folder, Map<String, Change> weightChanges,
      Map<String, Change> biasChanges, Param prefix, int prefixLength, Gpt2Config model) {
    this.peftType = peftType;
    this.handling = handling;
    this.folder = folder;
    this.weightChanges = weightChanges;
    this.biasChanges = biasChanges;
    this.prefix = prefix;
    this.prefixLength = prefixLength;
    this.model = model;
  }

  /** The plain tower. */
  static TextAdapter none(Gpt2Config model) {
    return new TextAdapter(null, Handling.NONE, null, Map.of(), Map.of(), null, 0, model);
  }

  /**
   * Reads an adapter and checks every tensor against the model.
   *
   * @param tensors the adapter's {@code adapter_model.safetensors}, kept open until the model is written
   * @throws CheckpointException naming the adapter file and tensor (or config field) that does not fit
   */
  static TextAdapter load(CleftCheckpoint.Adapter adapter, Gpt2Config model, CheckpointTensors tensors)
      throws CheckpointException {
    if (adapter.config() instanceof LoraConfig c) {
      return lora(adapter.directory(), c, model, tensors);
    } else if (adapter.config() instanceof Ia3Config c) {
      return ia3(adapter.directory(), c, model, tensors);
    }
    return prefix(adapter.directory(), (PrefixTuningConfig) adapter.config(), model, tensors);
  }

  /** The GPT-2 linear modules with their (in, out) widths, by module name ({@code h.0.attn.c_attn}, ...). */
  static Map<String, int[]> gpt2Modules(Gpt2Config c) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (int i = 0; i < c.nLayer(); i++) {
      out.put("h." + i + ".attn.c_attn", new int[] {c.nEmbd(), 3 * c.nEmbd()});
      out.put("h." + i + ".attn.c_proj", new int[] {c.nEmbd(), c.nEmbd()});
      out.put("h." + i + ".mlp.c_fc", new int[] {c.nEmbd(), c.nInner()});
      out.put("h." + i + ".mlp.c_proj", new int[] {c.nInner(), c.nEmbd()});
    }
    return out;
  }

  private static TextAdapter lora(Path dir, LoraConfig c, Gpt2Config model, CheckpointTensors t)
      throws CheckpointException {
    if (c.useDora()) {
      throw new CheckpointException(dir.resolve("adapter_config.json")
          + ": use_dora is true; DoRA adapters cannot be exported (only plain LoRA is merged)");
    }
    Map<String, int[]> known = gpt2Modules(model);
    Map<String, Change> changes = new LinkedHashMap<>();
    for (String name : t.source().names()) {
      String module = module(name, ".lora_A.weight");
      if (module == null) {
        if (module(name, ".lora_B.weight") == null) {
          throw new CheckpointException(t.path() + ": tensor '" + name + "' is not a LoRA A/B weight (bias='"
              + c.bias() + "' and modules_to_save cannot be exported)");
        }
        continue;
      }
      int[] io = knownModule(known, module, name, t);
      int r = c.rankFor(module);
      Param a = t.require(name, r, io[0]);
      Param b = t.require(name.replace(".lora_A.weight", ".lora_B.weight"), io[1], r);
      double scaling = c.scaling(module);
      changes.put(module, base -> base.changed(w -> addDelta(w, a.read(), b.read(), io[0], io[1], r, scaling)));
    }
    if (changes.isEmpty()) {
      throw new CheckpointException(t.path() + ": no LoRA weights found (expected tensors named '...lora_A.weight')");
    }
    return new TextAdapter("LORA", Handling.MERGED, dir, changes, Map.of(), null, 0, model);
  }

  /** {@code w[i, o] += scaling * sum_k b[o, k] a[k, i]}: the Conv1D layout [in, out] of {@code B A}. */
  private static void addDelta(float[] w, float[] a, float[] b, int in, int out, int r, double scaling) {
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        double s = 0;
        for (int k = 0; k < r; k++) {
          s += (double) b[o * r + k] * a[k * in + i];
        }
        w[i * out + o] += (float) (scaling * s);
      }
    }
  }

  private static TextAdapter ia3(Path dir, Ia3Config c, Gpt2Config model, CheckpointTensors t)
      throws CheckpointException {
    Map<String, int[]> known = gpt2Modules(model);
    Map<String, Change> weights = new LinkedHashMap<>();
    Map<String, Change> biases = new LinkedHashMap<>();
    for (String name : t.source().names()) {
      String module = module(name, ".ia3_l");
      if (module == null) {
        throw new CheckpointException(t.path() + ": tensor '" + name + "' is not an IA3 vector ('...ia3_l')");
      }
      int[] io = knownModule(known, module, name, t);
      int in = io[0];
      int out = io[1];
      if (c.isFeedforward(module)) {
        Param l = t.require(name, 1, in);
        weights.put(module, base -> base.changed(w -> scaleRows(w, l.read(), out)));
      } else {
        Param l = t.require(name, out, 1);
        weights.put(module, base -> base.changed(w -> scaleColumns(w, l.read(), out)));
        biases.put(module, base -> base.changed(b -> scaleColumns(b, l.read(), out)));
      }
    }
    return new TextAdapter("IA3", Handling.FOLDED, dir, weights, biases, null, 0, model);
  }

  private static void scaleRows(float[] w, float[] l, int out) {
    for (int i = 0; i < w.length; i++) {
      w[i] *= l[i / out];
    }
  }

  private static void scaleColumns(float[] w, float[] l, int out) {
    for (int i = 0; i < w.length; i++) {
      w[i] *= l[i % out];
    }
  }

  private static TextAdapter prefix(Path dir, PrefixTuningConfig c, Gpt2Config model, CheckpointTensors t)
      throws CheckpointException {
    if (c.numLayers() != 0 && c.numLayers() != model.nLayer()) {
      throw new CheckpointException(dir.resolve("adapter_config.json") + ": num_layers " + c.numLayers()
          + " does not match the text tower's n_layer " + model.nLayer());
    }
    int n = c.numVirtualTokens();
    if (n >= model.nPositions()) {
      throw new CheckpointException(dir.resolve("adapter_config.json") + ": num_virtual_tokens " + n
          + " leaves no room for text within n_positions " + model.nPositions());
    }
    Param e = t.require("prompt_embeddings", n, 2L * model.nLayer() * model.nEmbd());
    return new TextAdapter("PREFIX_TUNING", Handling.IN_GRAPH, dir, Map.of(), Map.of(), e, n, model);
  }

  private static int[] knownModule(Map<String, int[]> known, String module, String tensor, CheckpointTensors t)
      throws CheckpointException {
    int[] io = known.get(module);
    if (io == null) {
      throw new CheckpointException(t.path() + ": tensor '" + tensor + "' targets module '" + module
          + "', which this GPT-2 does not have");
    }
    return io;
  }

  /**
   * The module a saved tensor belongs to, without peft's {@code base_model.model.} and a causal-LM
   * wrapper's {@code transformer.} prefixes, or null when the name does not end with {@code suffix}.
   */
  static String module(String savedName, String suffix) {
    if (!savedName.endsWith(suffix)) {
      return null;
    }
    String m = savedName.substring(0, savedName.length() - suffix.length());
    m = m.startsWith("base_model.model.") ? m.substring("base_model.model.".length()) : m;
    return m.startsWith("transformer.") ? m.substring("transformer.".length()) : m;
  }

  /** The Conv1D weight of {@code module} with the adapter applied. */
  Param weight(String module, Param base) {
    Change c = weightChanges.get(module);
    return c == null ? base : c.apply(base);
  }

  /** The Conv1D bias of {@code module} with the adapter applied. */
  Param bias(String module, Param base) {
    Change c = biasChanges.get(module);
    return c == null ? base : c.apply(base);
  }

  /** Number of virtual tokens in the keys and values (prefix tuning), else 0. */
  int prefixLength() {
    return prefixLength;
  }

  /** Layer {@code layer}'s prefix keys, transposed for the score product: [1, heads, head dim, prefix]. */
  Param prefixKeysTransposed(int layer) {
    int h = model.nHead();
    int hd = model.headDim();
    return new Param("prompt_embeddings", new long[] {1, h, hd, prefixLength},
        () -> slot(prefix.read(), 2 * layer, true));
  }

  /** Layer {@code layer}'s prefix values: [1, heads, prefix, head dim]. */
  Param prefixValues(int layer) {
    int h = model.nHead();
    int hd = model.headDim();
    return new Param("prompt_embeddings", new long[] {1, h, prefixLength, hd},
        () -> slot(prefix.read(), 2 * layer + 1, false));
  }

  /** Slot {@code s} of {@code prompt_embeddings} viewed as [prefix, 2 layers, heads, head dim]. */
  private float[] slot(float[] e, int s, boolean transpose) {
    int n = prefixLength;
    int width = model.nEmbd();
    int hd = model.headDim();
    int rowWidth = 2 * model.nLayer() * width;
    float[] out = new float[n * width];
    for (int p = 0; p < n; p++) {
      for (int head = 0; head < model.nHead(); head++) {
        for (int d = 0; d < hd; d++) {
          float v = e[p * rowWidth + s * width + head * hd + d];
          out[transpose ? (head * hd + d) * n + p : (head * n + p) * hd + d] = v;
        }
      }
    }
    return out;
  }

  /** The peft type, or null for none. */
  String peftType() {
    return peftType;
  }

  /** How the adapter enters the graph. */
  Handling handling() {
    return handling;
  }

  /** The adapter folder, or null for none. */
  Path folder() {
    return folder;
  }
}
