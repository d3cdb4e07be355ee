package org.cleft.onnx.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The model module's op set on the ONNX exporter: each op adds nodes to the graph being built, named under the
 * current scope ({@code h.0.attn} gives {@code h.0.attn.matmul}, ...; the builder makes repeated names
 * unique). Sizes known only at run time (the batch, the sequence) are read in the graph with {@code Shape}; operators
 * whose signature changed at opset 18 (reductions, {@code Split}) are emitted for the builder's opset. Immutable:
 * {@link #scope(String)} returns a new instance.
 */
final class OnnxOps implements Ops<ONNXRef<?>> {
  /** HF's value for disallowed attention positions ({@code torch.finfo(float32).min}). */
  private static final float MASKED = -Float.MAX_VALUE;

  private final GraphBuilder g;
  private final String scope;

  OnnxOps(GraphBuilder g, String scope) {
    this.g = g;
    this.scope = scope;
  }

  private String name(String op) {
    return scope.isEmpty() ? op : scope + "." + op;
  }

  @Override
  public Ops<ONNXRef<?>> scope(String name) {
    return new OnnxOps(g, name(name));
  }

  @Override
  public ONNXRef<?> add(ONNXRef<?> a, ONNXRef<?> b) {
    return g.op(OnnxOp.ADD, name("add"), a, b);
  }

  @Override
  public ONNXRef<?> mul(ONNXRef<?> a, ONNXRef<?> b) {
    return g.op(OnnxOp.MUL, name("mul"), a, b);
  }

  @Override
  public ONNXRef<?> scale(ONNXRef<?> x, double factor) {
    return g.op(OnnxOp.MUL, name("scaled"), x, g.scalar(name("factor"), (float) factor));
  }

  @Override
  public ONNXRef<?> offset(ONNXRef<?> x, double value) {
    return g.op(OnnxOp.ADD, name("offset"), x, g.scalar(name("value"), (float) value));
  }

  @Override
  public ONNXRef<?> matmul(ONNXRef<?> a, ONNXRef<?> b) {
    return g.op(OnnxOp.MATMUL, name("matmul"), a, b);
  }

  @Override
  public ONNXRef<?> exp(ONNXRef<?> x) {
    return g.op(OnnxOp.EXP, name("exp"), x);
  }

  /** {@inheritDoc} The exporter keeps every weight [in, out] ({@link GraphWeights}), as {@code MatMul} takes it. */
  @Override
  public ONNXRef<?> linear(ONNXRef<?> x, Linear<ONNXRef<?>> layer) {
    if (!layer.inputMajor()) {
      throw new IllegalStateException(name("linear") + ": the exporter's weights are [in, out]");
    }
    ONNXRef<?> y = g.op(OnnxOp.MATMUL, name("matmul"), x, layer.weight());
    return layer.bias() == null ? y : g.op(OnnxOp.ADD, name("add"), y, layer.bias());
  }

  /** {@inheritDoc} ONNX {@code LayerNormalization} (opset 17). */
  @Override
  public ONNXRef<?> layerNorm(ONNXRef<?> x, ONNXRef<?> gamma, ONNXRef<?> beta, double eps) {
    return g.op(OnnxOp.LAYER_NORMALIZATION, name("norm"), Map.of("axis", -1, "epsilon", (float) eps), x, gamma, beta);
  }

  /** {@inheritDoc} Written out (opset 17 has no {@code RMSNormalization}): {@code x / sqrt(mean(x * x) + eps)}. */
  @Override
  public ONNXRef<?> rmsNorm(ONNXRef<?> x, ONNXRef<?> weight, double eps) {
    ONNXRef<?> meanSquare = reduce(OnnxOp.REDUCE_MEAN, name("mean_square"), g.op(OnnxOp.MUL, name("square"), x, x),
        -1, true);
    ONNXRef<?> root = g.op(OnnxOp.SQRT, name("root"), g.op(OnnxOp.ADD, name("plus_eps"), meanSquare,
        g.scalar(name("eps"), (float) eps)));
    return g.op(OnnxOp.MUL, name("scaled"), g.op(OnnxOp.DIV, name("normed"), x, root), weight);
  }

  @Override
  public ONNXRef<?> softmax(ONNXRef<?> x) {
    return g.op(OnnxOp.SOFTMAX, name("softmax"), Map.of("axis", -1), x);
  }

  /** {@inheritDoc} Written with {@code Erf} (opset 17 has no {@code Gelu}). */
  @Override
  public ONNXRef<?> gelu(ONNXRef<?> x) {
    ONNXRef<?> e = g.op(OnnxOp.ERF, name("erf"), g.op(OnnxOp.DIV, name("gelu_in"), x,
        g.scalar(name("sqrt2"), (float) Math.sqrt(2.0))));
    ONNXRef<?> onePlus = g.op(OnnxOp.ADD, name("one_plus"), e, g.scalar(name("one"), 1f));
    return g.op(OnnxOp.MUL, name("gelu"), g.op(OnnxOp.MUL, name("half_x"), x, g.scalar(name("half"), 0.5f)), onePlus);
  }

  @Override
  public ONNXRef<?> tanh(ONNXRef<?> x) {
    return g.op(OnnxOp.TANH, name("tanh"), x);
  }

  @Override
  public ONNXRef<?> sigmoid(ONNXRef<?> x) {
    return g.op(OnnxOp.SIGMOID, name("sigmoid"), x);
  }

  @Override
  public ONNXRef<?> relu(ONNXRef<?> x) {
    return g.op(OnnxOp.RELU, name("relu"), x);
  }

  /** {@inheritDoc} An exported model only infers: no dropout. */
  @Override
  public ONNXRef<?> dropout(ONNXRef<?> x, double p) {
    return x;
  }

  @Override
  public ONNXRef<?> patchConv(ONNXRef<?> pixels, ONNXRef<?> weight, ONNXRef<?> bias, int patch) {
    return g.op(OnnxOp.CONV, name("conv"), Map.of("kernel_shape", new int[] {patch, patch}, "strides",
        new int[] {patch, patch}), pixels, weight, bias);
  }

  @Override
  public ONNXRef<?> embedding(ONNXRef<?> table, ONNXRef<?> ids) {
    return g.op(OnnxOp.GATHER, name("gather"), Map.of("axis", 0), table, ids);
  }

  @Override
  public ONNXRef<?> reshape(ONNXRef<?> x, long... shape) {
    return g.op(OnnxOp.RESHAPE, name("reshape"), x, g.ints(name("shape"), shape));
  }

  @Override
  public ONNXRef<?> transpose(ONNXRef<?> x, int... perm) {
    return g.op(OnnxOp.TRANSPOSE, name("transpose"), Map.of("perm", perm), x);
  }

  @Override
  public List<ONNXRef<?>> split(ONNXRef<?> x, int parts) {
    OnnxOp op = switch (parts) {
      case 2 -> OnnxOp.SPLIT2;
      case 3 -> OnnxOp.SPLIT3;
      default -> throw new IllegalArgumentException("the exporter splits in 2 or 3 parts, not " + parts);
    };
    List<String> names = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      names.add(name("part" + i));
    }
    // opset 18 wants the number of parts when no sizes are given; 17 splits equally among the outputs
    Map<String, Object> attributes = g.opset() >= 18 ? Map.of("axis", -1, "num_outputs", parts) : Map.of("axis", -1);
    List<ONNXNode> out = g.ops(op, names, attributes, x);
    return new ArrayList<>(out);
  }

  @Override
  public ONNXRef<?> concat(int axis, List<ONNXRef<?>> parts) {
    return g.op(OnnxOp.CONCAT, name("concat"), Map.of("axis", axis), parts.toArray(ONNXRef<?>[]::new));
  }

  @Override
  public ONNXRef<?> slice(ONNXRef<?> x, int axis, long start, long end) {
    return g.op(OnnxOp.SLICE, name("slice"), x, g.ints(name("starts"), start), g.ints(name("ends"), end),
        g.ints(name("axes"), axis));
  }

  @Override
  public ONNXRef<?> expandBatch(ONNXRef<?> x, ONNXRef<?> like) {
    ONNXRef<?> batch = g.op(OnnxOp.SHAPE, name("batch"), Map.of("start", 0, "end", 1), like);
    ONNXRef<?> rest = g.op(OnnxOp.SHAPE, name("dims"), Map.of("start", 1), x);
    ONNXRef<?> shape = g.op(OnnxOp.CONCAT, name("expanded_shape"), Map.of("axis", 0), batch, rest);
    return g.op(OnnxOp.EXPAND, name("expanded"), x, shape);
  }

  @Override
  public ONNXRef<?> constant(ONNXRef<?> like, long[] shape, float[] values) {
    return g.floats(name("constant"), shape, values);
  }

  /** {@inheritDoc} {@code Range(offset, offset + n)}, {@code n} read from {@code like}; the limit is the caller's. */
  @Override
  public ONNXRef<?> positionIds(ONNXRef<?> like, int axis, long offset, long limit) {
    ONNXRef<?> n = count(like, axis);
    ONNXRef<?> first = g.scalar(name("first"), offset);
    ONNXRef<?> end = g.op(OnnxOp.ADD, name("end"), n, first);
    return g.op(OnnxOp.RANGE, name("positions"), first, end, g.scalar(name("step"), 1L));
  }

  /** The size of one axis of {@code x}, a scalar int64. */
  private ONNXRef<?> count(ONNXRef<?> x, int axis) {
    ONNXRef<?> s = g.op(OnnxOp.SHAPE, name("size"), Map.of("start", axis, "end", axis + 1), x);
    return g.op(OnnxOp.SQUEEZE, name("count"), s, g.ints(name("axis0"), 0));
  }

  /** {@inheritDoc} Booleans [batch, 1, seq, past + seq]: key j is allowed for query i when j <= past + i and real. */
  @Override
  public ONNXRef<?> causalMask(ONNXRef<?> mask, int past) {
    ONNXRef<?> seq = count(mask, 1);
    ONNXRef<?> zero = g.scalar(name("zero"), 0L);
    ONNXRef<?> one = g.scalar(name("one"), 1L);
    ONNXRef<?> rows = g.op(OnnxOp.RANGE, name("rows"), zero, seq, one);
    ONNXRef<?> total = g.op(OnnxOp.ADD, name("total"), seq, g.scalar(name("past"), (long) past));
    ONNXRef<?> cols = g.op(OnnxOp.RANGE, name("cols"), zero, total, one);
    ONNXRef<?> lastKey = g.op(OnnxOp.UNSQUEEZE, name("last_key"), g.op(OnnxOp.ADD, name("shifted"), rows,
        g.scalar(name("past"), (long) past)), g.ints(name("axis1"), 1));
    ONNXRef<?> causal = g.op(OnnxOp.LESS_OR_EQUAL, name("causal"), g.op(OnnxOp.UNSQUEEZE, name("keys"), cols,
        g.ints(name("axis0"), 0)), lastKey);
    ONNXRef<?> keys = mask;
    if (past > 0) {
      ONNXRef<?> batch = g.op(OnnxOp.SHAPE, name("batch"), Map.of("start", 0, "end", 1), mask);
      ONNXRef<?> shape = g.op(OnnxOp.CONCAT, name("prefix_shape"), Map.of("axis", 0), batch, g.ints(name("p"), past));
      ONNXRef<?> ones = g.op(OnnxOp.EXPAND, name("prefix"), g.ints(name("ones"), 1), shape);
      keys = g.op(OnnxOp.CONCAT, name("with_prefix"), Map.of("axis", 1), ones, mask);
    }
    ONNXRef<?> real = g.op(OnnxOp.CAST, name("real"), Map.of("to", DataType.BOOL.getNumber()), keys);
    ONNXRef<?> real4 = g.op(OnnxOp.UNSQUEEZE, name("real4"), real, g.ints(name("axes12"), 1, 2));
    return g.op(OnnxOp.AND, name("allowed"), causal, real4);
  }

  @Override
  public ONNXRef<?> maskScores(ONNXRef<?> scores, ONNXRef<?> allowed) {
    return g.op(OnnxOp.WHERE, name("masked"), allowed, scores, g.scalar(name("min"), MASKED));
  }

  @Override
  public ONNXRef<?> l2Normalize(ONNXRef<?> x) {
    ONNXRef<?> norm = reduce(OnnxOp.REDUCE_L2, name("norm"), x, -1, true);
    ONNXRef<?> clamped = g.op(OnnxOp.MAX, name("clamp"), norm, g.scalar(name("eps"), 1e-12f));
    return g.op(OnnxOp.DIV, name("normalize"), x, clamped);
  }

  @Override
  public ONNXRef<?> mean(ONNXRef<?> x, int axis) {
    return reduce(OnnxOp.REDUCE_MEAN, name("mean"), x, axis, false);
  }

  private ONNXRef<?> reduce(OnnxOp op, String output, ONNXRef<?> x, int axis, boolean keep) {
    if (g.opset() >= 18) {
      return g.op(op, output, Map.of("keepdims", keep ? 1 : 0), x, g.ints(output + ".axes", axis));
    }
    return g.op(op, output, Map.of("axes", new int[] {axis}, "keepdims", keep ? 1 : 0), x);
  }

  @Override
  public ONNXRef<?> lastPosition(ONNXRef<?> mask) {
    ONNXRef<?> lengths = g.op(OnnxOp.REDUCE_SUM, name("lengths"), Map.of("keepdims", 0), mask,
        g.ints(name("axis"), 1));
    return g.op(OnnxOp.SUB, name("position"), lengths, g.ints(name("one"), 1));
  }

  /** {@inheritDoc} GatherElements over an index expanded to [batch, 1, width], the sizes read from {@code x}. */
  @Override
  public ONNXRef<?> tokenAt(ONNXRef<?> x, ONNXRef<?> index) {
    ONNXRef<?> index3 = g.op(OnnxOp.UNSQUEEZE, name("index"), index, g.ints(name("axes12"), 1, 2));
    ONNXRef<?> batch = g.op(OnnxOp.SHAPE, name("batch"), Map.of("start", 0, "end", 1), x);
    ONNXRef<?> width = g.op(OnnxOp.SHAPE, name("width"), Map.of("start", 2, "end", 3), x);
    ONNXRef<?> shape = g.op(OnnxOp.CONCAT, name("shape"), Map.of("axis", 0), batch, g.ints(name("one"), 1), width);
    ONNXRef<?> gathered = g.op(OnnxOp.GATHER_ELEMENTS, name("gathered"), Map.of("axis", 1), x,
        g.op(OnnxOp.EXPAND, name("expanded"), index3, shape));
    return g.op(OnnxOp.SQUEEZE, name("token"), gathered, g.ints(name("axis1"), 1));
  }
}
