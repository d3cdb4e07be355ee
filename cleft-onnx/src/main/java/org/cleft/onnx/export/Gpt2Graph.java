package org.cleft.onnx.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Gpt2Config;
import org.cleft.model.pooling.Poolings;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The text encoder graph: HuggingFace {@code GPT2Model} (token + position embeddings, pre-LN blocks
 * with Conv1D weights, causal and padding attention mask, {@code ln_f}) on right-padded input, CLEFT's
 * pooling (the hidden state of the last real token, index {@code sum(mask) - 1}),
 * {@code text_projection} and L2 normalisation. LoRA and IA3 arrive merged into the weights; a prefix
 * adds learned keys and values to every layer, shifts the positions and widens the mask.
 */
final class Gpt2Graph {
  private final Gpt2Config c;
  private final CheckpointTensors t;
  private final TextAdapter adapter;
  private final GraphBuilder g;
  private final Layers nn;
  private ONNXRef<?> batch;

  private Gpt2Graph(Gpt2Config c, CheckpointTensors t, TextAdapter adapter, GraphBuilder g) {
    this.c = c;
    this.t = t;
    this.adapter = adapter;
    this.g = g;
    this.nn = new Layers(g);
  }

  /**
   * Builds the graph {@code input_ids [B, S], attention_mask [B, S] -> embeds [B, E]}.
   *
   * @throws CheckpointException naming the file and tensor (or config field) that does not fit
   */
  static GraphBuilder build(Gpt2Config c, CheckpointTensors t, TextAdapter adapter, CheckpointTensors heads,
      int opset) throws CheckpointException {
    String act = Layers.checkActivation(c.activationFunction());
    if (act != null) {
      throw new CheckpointException(t.path() + ": config field activation_function: " + act);
    }
    GraphBuilder g = new GraphBuilder("cleft_text_encoder", opset);
    Gpt2Graph graph = new Gpt2Graph(c, t, adapter, g);
    ONNXRef<?> ids = g.input("input_ids", DataType.INT64, "batch", "sequence");
    ONNXRef<?> mask = g.input("attention_mask", DataType.INT64, "batch", "sequence");
    graph.batch = g.op(OnnxOp.SHAPE, "batch", Map.of("start", 0, "end", 1), ids);
    ONNXRef<?> h = graph.embeddings(ids);
    ONNXRef<?> allowed = graph.allowed(ids, mask);
    for (int i = 0; i < c.nLayer(); i++) {
      h = graph.block(i, h, allowed);
    }
    ONNXRef<?> last = Poolings.lastToken(new OnnxOps(g, graph.nn, ""), h, mask);
    ONNXRef<?> normed = graph.nn.layerNorm("ln_f", last, graph.vector("ln_f.weight"), graph.vector("ln_f.bias"),
        c.layerNormEpsilon());
    g.output("embeds", Heads.project(g, graph.nn, heads, "text_projection", normed, c.nEmbd()), "batch",
        Heads.dim(heads));
    return g;
  }

  /** {@code wte[ids] + wpe[P .. P + S)}, P the prefix length. */
  private ONNXRef<?> embeddings(ONNXRef<?> ids) throws CheckpointException {
    ONNXRef<?> wte = g.weight("wte.weight", t.require("wte.weight", c.vocabSize(), c.nEmbd()));
    ONNXRef<?> wpe = g.weight("wpe.weight", t.require("wpe.weight", c.nPositions(), c.nEmbd()));
    ONNXRef<?> tokens = g.op(OnnxOp.GATHER, "tokens", Map.of("axis", 0), wte, ids);
    int past = adapter.prefixLength();
    ONNXRef<?> seq = g.op(OnnxOp.SHAPE, "seq", Map.of("start", 1, "end", 2), ids);
    ONNXRef<?> end = g.op(OnnxOp.ADD, "positions.end", seq, g.ints("positions.past", past));
    ONNXRef<?> positions = g.op(OnnxOp.SLICE, "positions", wpe, g.ints("positions.start", past), end,
        g.ints("positions.axes", 0));
    return g.op(OnnxOp.ADD, "embedded", tokens, positions);
  }

  /** [B, 1, S, P + S] booleans: query i may attend key j when j <= P + i and key j is not padding. */
  private ONNXRef<?> allowed(ONNXRef<?> ids, ONNXRef<?> mask) {
    int past = adapter.prefixLength();
    ONNXRef<?> seq = g.op(OnnxOp.SQUEEZE, "mask.seq", g.op(OnnxOp.SHAPE, "mask.seq1", Map.of("start", 1, "end", 2),
        ids), g.ints("mask.axis0", 0));
    ONNXRef<?> zero = g.scalar("mask.zero", 0L);
    ONNXRef<?> one = g.scalar("mask.one", 1L);
    ONNXRef<?> rows = g.op(OnnxOp.RANGE, "mask.rows", zero, seq, one);
    ONNXRef<?> total = g.op(OnnxOp.ADD, "mask.total", seq, g.scalar("mask.past", (long) past));
    ONNXRef<?> cols = g.op(OnnxOp.RANGE, "mask.cols", zero, total, one);
    ONNXRef<?> lastKey = g.op(OnnxOp.UNSQUEEZE, "mask.last_key", g.op(OnnxOp.ADD, "mask.shifted", rows,
        g.scalar("mask.past2", (long) past)), g.ints("mask.axis1", 1));
    ONNXRef<?> causal = g.op(OnnxOp.LESS_OR_EQUAL, "mask.causal", g.op(OnnxOp.UNSQUEEZE, "mask.keys", cols,
        g.ints("mask.axis0b", 0)), lastKey);
    ONNXRef<?> keys = mask;
    if (past > 0) {
      ONNXRef<?> shape = g.op(OnnxOp.CONCAT, "mask.prefix_shape", Map.of("axis", 0), batch, g.ints("mask.p", past));
      ONNXRef<?> ones = g.op(OnnxOp.EXPAND, "mask.prefix", g.ints("mask.ones", 1), shape);
      keys = g.op(OnnxOp.CONCAT, "mask.with_prefix", Map.of("axis", 1), ones, mask);
    }
    ONNXRef<?> real = g.op(OnnxOp.CAST, "mask.real", Map.of("to", DataType.BOOL.getNumber()), keys);
    ONNXRef<?> real4 = g.op(OnnxOp.UNSQUEEZE, "mask.real4", real, g.ints("mask.axes12", 1, 2));
    return g.op(OnnxOp.AND, "mask.allowed", causal, real4);
  }

  private ONNXRef<?> block(int i, ONNXRef<?> h, ONNXRef<?> allowed) throws CheckpointException {
    String p = "h." + i + ".";
    int e = c.nEmbd();
    ONNXRef<?> a = nn.layerNorm(p + "ln_1", h, vector(p + "ln_1.weight"), vector(p + "ln_1.bias"), c.layerNormEpsilon());
    ONNXRef<?> qkv = conv1d(p + "attn.c_attn", a, e, 3 * e);
    List<ONNXNode> parts = nn.thirds(p + "attn.split", qkv);
    ONNXRef<?> q = nn.splitHeads(p + "q.heads", parts.get(0), c.nHead(), c.headDim(), false);
    ONNXRef<?> kT = nn.splitHeads(p + "k.heads", parts.get(1), c.nHead(), c.headDim(), true);
    ONNXRef<?> v = nn.splitHeads(p + "v.heads", parts.get(2), c.nHead(), c.headDim(), false);
    if (adapter.prefixLength() > 0) {
      kT = withPrefix(p + "k.prefix", kT, adapter.prefixKeysTransposed(i), 3);
      v = withPrefix(p + "v.prefix", v, adapter.prefixValues(i), 2);
    }
    float divisor = (float) ((c.scaleAttnWeights() ? Math.sqrt(c.headDim()) : 1.0)
        * (c.scaleAttnByInverseLayerIdx() ? i + 1 : 1));
    ONNXRef<?> ctx = nn.mergeHeads(p + "attn.merged", nn.attention(p + "attn", q, kT, v, 1f, divisor, allowed), e);
    h = g.op(OnnxOp.ADD, p + "residual1", h, conv1d(p + "attn.c_proj", ctx, e, e));
    ONNXRef<?> f = nn.layerNorm(p + "ln_2", h, vector(p + "ln_2.weight"), vector(p + "ln_2.bias"), c.layerNormEpsilon());
    f = nn.activation(p + "mlp.act", c.activationFunction(), conv1d(p + "mlp.c_fc", f, e, c.nInner()));
    return g.op(OnnxOp.ADD, p + "residual2", h, conv1d(p + "mlp.c_proj", f, c.nInner(), e));
  }

  /** Concatenates a layer's learned prefix [1, ...] (broadcast to the batch) in front of {@code x} along {@code axis}. */
  private ONNXRef<?> withPrefix(String name, ONNXRef<?> x, Param prefix, int axis) {
    long[] s = prefix.shape();
    ONNXRef<?> shape = g.op(OnnxOp.CONCAT, name + ".shape", Map.of("axis", 0), batch,
        g.ints(name + ".dims", s[1], s[2], s[3]));
    ONNXRef<?> expanded = g.op(OnnxOp.EXPAND, name + ".expanded", g.weight(name, prefix), shape);
    return g.op(OnnxOp.CONCAT, name + ".concat", Map.of("axis", axis), expanded, x);
  }

  /** HF {@code Conv1D}: {@code x @ W + b}, W [in, out], with the adapter applied to W and b. */
  private ONNXRef<?> conv1d(String module, ONNXRef<?> x, int in, int out) throws CheckpointException {
    Param w = adapter.weight(module, t.require(module + ".weight", in, out));
    Param b = adapter.bias(module, t.require(module + ".bias", out));
    return nn.linear(module, x, g.weight(module + ".weight", w), g.weight(module + ".bias", b));
  }

  private ONNXRef<?> vector(String name) throws CheckpointException {
    return g.weight(name, t.require(name, c.nEmbd()));
  }
}
