package org.cleft.onnx.export;

import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The building blocks both towers share, as ONNX nodes with the numerics of their PyTorch
 * counterparts: linear layers, layer norm, activations, multi-head attention, pooling and L2
 * normalisation. Operators whose signature changed at opset 18 (reductions, Split) are emitted for the
 * builder's opset.
 */
final class Layers {
  /** HF's additive mask value for disallowed attention positions ({@code torch.finfo(float32).min}). */
  static final float MASKED = -Float.MAX_VALUE;

  private final GraphBuilder g;

  Layers(GraphBuilder g) {
    this.g = g;
  }

  /** {@code x @ weight + bias}, weight [in, out] (already transposed from an {@code nn.Linear}); bias may be null. */
  ONNXRef<?> linear(String name, ONNXRef<?> x, ONNXRef<?> weight, ONNXRef<?> bias) {
    ONNXRef<?> y = g.op(OnnxOp.MATMUL, name + ".matmul", x, weight);
    return bias == null ? y : g.op(OnnxOp.ADD, name + ".add", y, bias);
  }

  /** Layer norm over the last axis (ONNX LayerNormalization, opset 17). */
  ONNXRef<?> layerNorm(String name, ONNXRef<?> x, ONNXRef<?> gamma, ONNXRef<?> beta, double eps) {
    return g.op(OnnxOp.LAYER_NORMALIZATION, name, Map.of("axis", -1, "epsilon", (float) eps), x, gamma, beta);
  }

  /**
   * An activation by its HuggingFace name ({@code ACT2FN}).
   *
   * @throws IllegalArgumentException naming the activation and the supported ones
   */
  ONNXRef<?> activation(String name, String act, ONNXRef<?> x) {
    return switch (act) {
      case "gelu" -> geluErf(name, x);
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> geluTanh(name, x);
      case "relu" -> g.op(OnnxOp.RELU, name, x);
      case "silu", "swish" -> g.op(OnnxOp.MUL, name, x, g.op(OnnxOp.SIGMOID, name + ".sigmoid", x));
      case "quick_gelu" -> g.op(OnnxOp.MUL, name, x, g.op(OnnxOp.SIGMOID, name + ".sigmoid",
          g.op(OnnxOp.MUL, name + ".scaled", x, g.scalar(name + ".k", 1.702f))));
      case "tanh" -> g.op(OnnxOp.TANH, name, x);
      default -> throw new IllegalArgumentException(unsupported(act));
    };
  }

  /** The message for an activation {@link #activation} does not know, or null when it knows it. */
  static String checkActivation(String act) {
    return switch (act) {
      case "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu", "silu", "swish", "quick_gelu", "tanh" -> null;
      default -> unsupported(act);
    };
  }

  private static String unsupported(String act) {
    return "activation '" + act + "' is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, "
        + "relu, silu, swish, quick_gelu, tanh)";
  }

  /** Exact GELU, {@code 0.5 x (1 + erf(x / sqrt 2))} (opset 17 has no Gelu operator). */
  private ONNXRef<?> geluErf(String name, ONNXRef<?> x) {
    ONNXRef<?> e = g.op(OnnxOp.ERF, name + ".erf", g.op(OnnxOp.DIV, name + ".scaled", x,
        g.scalar(name + ".sqrt2", (float) Math.sqrt(2.0))));
    ONNXRef<?> onePlus = g.op(OnnxOp.ADD, name + ".one_plus", e, g.scalar(name + ".one", 1f));
    return g.op(OnnxOp.MUL, name, g.op(OnnxOp.MUL, name + ".half_x", x, g.scalar(name + ".half", 0.5f)), onePlus);
  }

  /** GPT-2's {@code gelu_new}: {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}. */
  private ONNXRef<?> geluTanh(String name, ONNXRef<?> x) {
    ONNXRef<?> cube = g.op(OnnxOp.MUL, name + ".cube", g.op(OnnxOp.MUL, name + ".square", x, x), x);
    ONNXRef<?> inner = g.op(OnnxOp.ADD, name + ".inner", x,
        g.op(OnnxOp.MUL, name + ".cubic", cube, g.scalar(name + ".c", 0.044715f)));
    ONNXRef<?> t = g.op(OnnxOp.TANH, name + ".tanh",
        g.op(OnnxOp.MUL, name + ".arg", inner, g.scalar(name + ".k", (float) Math.sqrt(2.0 / Math.PI))));
    ONNXRef<?> onePlus = g.op(OnnxOp.ADD, name + ".one_plus", t, g.scalar(name + ".one", 1f));
    return g.op(OnnxOp.MUL, name, g.op(OnnxOp.MUL, name + ".half_x", x, g.scalar(name + ".half", 0.5f)), onePlus);
  }

  /** [batch, tokens, heads * dim] to [batch, heads, tokens, dim] ({@code perm} [0, 2, 1, 3]) or, for keys, [batch, heads, dim, tokens]. */
  ONNXRef<?> splitHeads(String name, ONNXRef<?> x, int heads, int headDim, boolean forKeys) {
    ONNXRef<?> r = g.op(OnnxOp.RESHAPE, name + ".reshape", x, g.ints(name + ".shape", 0, 0, heads, headDim));
    return g.op(OnnxOp.TRANSPOSE, name, Map.of("perm", forKeys ? new int[] {0, 2, 3, 1} : new int[] {0, 2, 1, 3}), r);
  }

  /** [batch, heads, tokens, dim] back to [batch, tokens, heads * dim]. */
  ONNXRef<?> mergeHeads(String name, ONNXRef<?> x, int width) {
    ONNXRef<?> t = g.op(OnnxOp.TRANSPOSE, name + ".transpose", Map.of("perm", new int[] {0, 2, 1, 3}), x);
    return g.op(OnnxOp.RESHAPE, name, t, g.ints(name + ".shape", 0, 0, width));
  }

  /** The two equal halves of {@code x} along the last axis. */
  List<ONNXNode> halves(String name, ONNXRef<?> x) {
    return g.ops(OnnxOp.SPLIT2, List.of(name + ".first", name + ".second"), splitAttributes(2), x);
  }

  /** The three equal thirds of {@code x} along the last axis (GPT-2's fused query, key, value). */
  List<ONNXNode> thirds(String name, ONNXRef<?> x) {
    return g.ops(OnnxOp.SPLIT3, List.of(name + ".q", name + ".k", name + ".v"), splitAttributes(3), x);
  }

  /** Opset 18 wants the number of parts when no sizes are given; 17 splits equally among the outputs. */
  private Map<String, Object> splitAttributes(int parts) {
    return g.opset() >= 18 ? Map.of("axis", -1, "num_outputs", parts) : Map.of("axis", -1);
  }

  /** Mean over {@code axis}, dropping it. */
  ONNXRef<?> mean(String name, ONNXRef<?> x, int axis) {
    return reduce(OnnxOp.REDUCE_MEAN, name, x, axis, false);
  }

  /** {@code torch.nn.functional.normalize(x, dim=-1)}: rows divided by max(L2 norm, 1e-12). */
  ONNXRef<?> l2Normalize(String name, ONNXRef<?> x) {
    ONNXRef<?> norm = reduce(OnnxOp.REDUCE_L2, name + ".norm", x, -1, true);
    ONNXRef<?> clamped = g.op(OnnxOp.MAX, name + ".clamp", norm, g.scalar(name + ".eps", 1e-12f));
    return g.op(OnnxOp.DIV, name, x, clamped);
  }

  private ONNXRef<?> reduce(OnnxOp op, String name, ONNXRef<?> x, int axis, boolean keep) {
    if (g.opset() >= 18) {
      return g.op(op, name, Map.of("keepdims", keep ? 1 : 0), x, g.ints(name + ".axes", axis));
    }
    return g.op(op, name, Map.of("axes", new int[] {axis}, "keepdims", keep ? 1 : 0), x);
  }

  /**
   * Scaled dot-product attention: {@code softmax(q k / divisor [masked]) v}.
   *
   * @param q [batch, heads, queries, dim]
   * @param kT keys already transposed, [batch, heads, dim, keys]
   * @param v [batch, heads, keys, dim]
   * @param multiplier the scores are multiplied by this (DINOv2: head width ^ -0.5), or 1
   * @param divisor then divided by this (GPT-2: sqrt of the head width, possibly times the layer number), or 1
   * @param allowed a boolean mask broadcastable to [batch, heads, queries, keys], or null for none
   */
  ONNXRef<?> attention(String name, ONNXRef<?> q, ONNXRef<?> kT, ONNXRef<?> v, float multiplier, float divisor,
      ONNXRef<?> allowed) {
    ONNXRef<?> scores = g.op(OnnxOp.MATMUL, name + ".scores", q, kT);
    if (multiplier != 1f) {
      scores = g.op(OnnxOp.MUL, name + ".multiplied", scores, g.scalar(name + ".multiplier", multiplier));
    }
    if (divisor != 1f) {
      scores = g.op(OnnxOp.DIV, name + ".scaled", scores, g.scalar(name + ".divisor", divisor));
    }
    if (allowed != null) {
      scores = g.op(OnnxOp.WHERE, name + ".masked", allowed, scores, g.scalar(name + ".min", MASKED));
    }
    ONNXRef<?> probs = g.op(OnnxOp.SOFTMAX, name + ".probs", Map.of("axis", -1), scores);
    return g.op(OnnxOp.MATMUL, name + ".context", probs, v);
  }
}
