package org.cleft.onnx.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Dinov2Config;
import org.cleft.model.pooling.Poolings;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The image encoder graph: HuggingFace {@code Dinov2Model} / {@code Dinov2WithRegistersModel} at one
 * input size, then CLEFT's pooling (mean of every token of the last block, before the final layer
 * norm), {@code image_projection} and L2 normalisation. The position embeddings are interpolated for
 * the export size in Java ({@link PositionEmbeddings}) and baked in as a constant together with the
 * CLS and register tokens.
 */
final class Dinov2Graph {
  private final Dinov2Config c;
  private final CheckpointTensors t;
  private final GraphBuilder g;
  private final Layers nn;

  private Dinov2Graph(Dinov2Config c, CheckpointTensors t, GraphBuilder g) {
    this.c = c;
    this.t = t;
    this.g = g;
    this.nn = new Layers(g);
  }

  /**
   * Builds the graph {@code pixel_values [B, C, size, size] -> embeds [B, E]}.
   *
   * @param t the vision tower's tensors
   * @param heads {@code heads.safetensors}
   * @throws CheckpointException naming the file and tensor (or config field) that does not fit
   */
  static GraphBuilder build(Dinov2Config c, CheckpointTensors t, CheckpointTensors heads, int size, int opset)
      throws CheckpointException {
    String act = Layers.checkActivation(c.hiddenAct());
    if (!c.useSwigluFfn() && act != null) {
      throw new CheckpointException(t.path() + ": config field hidden_act: " + act);
    }
    GraphBuilder g = new GraphBuilder("cleft_image_encoder", opset);
    Dinov2Graph d = new Dinov2Graph(c, t, g);
    ONNXRef<?> pixels = g.input("pixel_values", DataType.FLOAT, "batch", c.numChannels(), size, size);
    ONNXRef<?> x = d.embeddings(pixels, size);
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      x = d.block(x, "encoder.layer." + i + ".");
    }
    ONNXRef<?> pooled = Poolings.meanOfTokens(new OnnxOps(g, d.nn, ""), x);
    g.output("embeds", Heads.project(g, d.nn, heads, "image_projection", pooled, c.hiddenSize()),
        "batch", Heads.dim(heads));
    return g;
  }

  private ONNXRef<?> embeddings(ONNXRef<?> pixels, int size) throws CheckpointException {
    long d = c.hiddenSize();
    int p = c.patchSize();
    ONNXRef<?> w = g.weight("patch.weight", t.require("embeddings.patch_embeddings.projection.weight",
        d, c.numChannels(), p, p));
    ONNXRef<?> b = g.weight("patch.bias", t.require("embeddings.patch_embeddings.projection.bias", d));
    ONNXRef<?> conv = g.op(OnnxOp.CONV, "patch.conv", Map.of("kernel_shape", new int[] {p, p},
        "strides", new int[] {p, p}), pixels, w, b);
    ONNXRef<?> flat = g.op(OnnxOp.RESHAPE, "patch.flat", conv, g.ints("patch.shape", 0, d, -1));
    ONNXRef<?> patches = g.op(OnnxOp.TRANSPOSE, "patch.tokens", Map.of("perm", new int[] {0, 2, 1}), flat);
    PositionEmbeddings pos = PositionEmbeddings.read(c, t, size);
    ONNXRef<?> x = g.op(OnnxOp.ADD, "patch.positioned", patches,
        g.floats("position_embeddings", new long[] {1, pos.patches(), d}, pos.patchValues()));
    int prefixTokens = 1 + c.numRegisterTokens();
    ONNXRef<?> prefix = g.floats("cls_and_registers", new long[] {1, prefixTokens, d}, pos.prefixValues());
    ONNXRef<?> batch = g.op(OnnxOp.SHAPE, "batch", Map.of("start", 0, "end", 1), pixels);
    ONNXRef<?> shape = g.op(OnnxOp.CONCAT, "prefix.shape", Map.of("axis", 0), batch,
        g.ints("prefix.dims", prefixTokens, d));
    ONNXRef<?> expanded = g.op(OnnxOp.EXPAND, "prefix", prefix, shape);
    return g.op(OnnxOp.CONCAT, "embeddings", Map.of("axis", 1), expanded, x);
  }

  private ONNXRef<?> block(ONNXRef<?> x, String p) throws CheckpointException {
    long d = c.hiddenSize();
    String a = p + "attention.";
    ONNXRef<?> h = nn.layerNorm(p + "norm1", x, vector(p + "norm1.weight"), vector(p + "norm1.bias"), c.layerNormEps());
    ONNXRef<?> q = nn.splitHeads(a + "q", linear(a + "attention.query", h, c.qkvBias()), heads(), headDim(), false);
    ONNXRef<?> kT = nn.splitHeads(a + "k", linear(a + "attention.key", h, c.qkvBias()), heads(), headDim(), true);
    ONNXRef<?> v = nn.splitHeads(a + "v", linear(a + "attention.value", h, c.qkvBias()), heads(), headDim(), false);
    ONNXRef<?> ctx = nn.mergeHeads(a + "merged",
        nn.attention(a + "sdpa", q, kT, v, (float) Math.pow(headDim(), -0.5), 1f, null), (int) d);
    ONNXRef<?> out = g.op(OnnxOp.MUL, p + "layer_scale1", linear(a + "output.dense", ctx, true),
        vector(p + "layer_scale1.lambda1"));
    x = g.op(OnnxOp.ADD, p + "residual1", x, out);
    ONNXRef<?> f = nn.layerNorm(p + "norm2", x, vector(p + "norm2.weight"), vector(p + "norm2.bias"), c.layerNormEps());
    f = c.useSwigluFfn() ? swiglu(p + "mlp.", f) : mlp(p + "mlp.", f);
    return g.op(OnnxOp.ADD, p + "residual2", x, g.op(OnnxOp.MUL, p + "layer_scale2", f,
        vector(p + "layer_scale2.lambda1")));
  }

  private ONNXRef<?> mlp(String p, ONNXRef<?> x) throws CheckpointException {
    ONNXRef<?> hidden = nn.activation(p + "act", c.hiddenAct(), linear(p + "fc1", x, true, c.mlpHiddenSize()));
    return linear(p + "fc2", hidden, true, c.hiddenSize(), c.mlpHiddenSize());
  }

  /** HF {@code Dinov2SwiGLUFFN}: {@code weights_out(silu(x1) * x2)} with {@code x1, x2 = weights_in(x).chunk(2)}. */
  private ONNXRef<?> swiglu(String p, ONNXRef<?> x) throws CheckpointException {
    int hidden = (c.mlpHiddenSize() * 2 / 3 + 7) / 8 * 8;
    List<ONNXNode> halves = nn.halves(p + "split", linear(p + "weights_in", x, true, 2 * hidden));
    ONNXRef<?> x1 = halves.get(0);
    ONNXRef<?> gated = g.op(OnnxOp.MUL, p + "gated",
        g.op(OnnxOp.MUL, p + "silu", x1, g.op(OnnxOp.SIGMOID, p + "sigmoid", x1)), halves.get(1));
    return linear(p + "weights_out", gated, true, c.hiddenSize(), hidden);
  }

  private ONNXRef<?> linear(String module, ONNXRef<?> x, boolean bias) throws CheckpointException {
    return linear(module, x, bias, c.hiddenSize(), c.hiddenSize());
  }

  private ONNXRef<?> linear(String module, ONNXRef<?> x, boolean bias, int out) throws CheckpointException {
    return linear(module, x, bias, out, c.hiddenSize());
  }

  /** An {@code nn.Linear} of weight [out, in], stored transposed for MatMul. */
  private ONNXRef<?> linear(String module, ONNXRef<?> x, boolean bias, int out, int in) throws CheckpointException {
    ONNXRef<?> w = g.weight(module + ".weight", t.require(module + ".weight", out, in).transposed());
    ONNXRef<?> b = bias ? g.weight(module + ".bias", t.require(module + ".bias", out)) : null;
    return nn.linear(module, x, w, b);
  }

  private ONNXRef<?> vector(String name) throws CheckpointException {
    return g.weight(name, t.require(name, c.hiddenSize()));
  }

  private int heads() {
    return c.numAttentionHeads();
  }

  private int headDim() {
    return c.headDim();
  }
}
