package org.cleft.onnx.export;

import java.util.Map;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The model module's op set on the ONNX exporter: each op adds nodes to the graph being built, named under the
 * current scope ({@code image_projection} gives the nodes {@code image_projection.matmul},
 * {@code image_projection.normalize}, ...). Immutable: {@link #scope(String)} returns a new instance.
 */
final class OnnxOps implements Ops<ONNXRef<?>> {
  private final GraphBuilder g;
  private final Layers nn;
  private final String scope;

  OnnxOps(GraphBuilder g, Layers nn, String scope) {
    this.g = g;
    this.nn = nn;
    this.scope = scope;
  }

  @Override
  public Ops<ONNXRef<?>> scope(String name) {
    return new OnnxOps(g, nn, scope.isEmpty() ? name : scope + "." + name);
  }

  @Override
  public ONNXRef<?> linear(ONNXRef<?> x, Linear<ONNXRef<?>> layer) {
    return nn.linear(scope, x, layer.weight(), layer.bias());
  }

  @Override
  public ONNXRef<?> l2Normalize(ONNXRef<?> x) {
    return nn.l2Normalize(scope + ".normalize", x);
  }

  @Override
  public ONNXRef<?> mean(ONNXRef<?> x, int axis) {
    return nn.mean(scope, x, axis);
  }

  @Override
  public ONNXRef<?> lastPosition(ONNXRef<?> mask) {
    ONNXRef<?> lengths = g.op(OnnxOp.REDUCE_SUM, scope + ".lengths", Map.of("keepdims", 0), mask,
        g.ints(scope + ".axis", 1));
    return g.op(OnnxOp.SUB, scope + ".position", lengths, g.ints(scope + ".one", 1));
  }

  /** {@inheritDoc} GatherElements over an index expanded to [batch, 1, width], the sizes read from {@code x}. */
  @Override
  public ONNXRef<?> tokenAt(ONNXRef<?> x, ONNXRef<?> index) {
    ONNXRef<?> index3 = g.op(OnnxOp.UNSQUEEZE, scope + ".index", index, g.ints(scope + ".axes12", 1, 2));
    ONNXRef<?> batch = g.op(OnnxOp.SHAPE, scope + ".batch", Map.of("start", 0, "end", 1), x);
    ONNXRef<?> width = g.op(OnnxOp.SHAPE, scope + ".width", Map.of("start", 2, "end", 3), x);
    ONNXRef<?> shape = g.op(OnnxOp.CONCAT, scope + ".shape", Map.of("axis", 0), batch, g.ints(scope + ".one_", 1),
        width);
    ONNXRef<?> gathered = g.op(OnnxOp.GATHER_ELEMENTS, scope + ".gathered", Map.of("axis", 1), x,
        g.op(OnnxOp.EXPAND, scope + ".expanded", index3, shape));
    return g.op(OnnxOp.SQUEEZE, scope, gathered, g.ints(scope + ".axis1", 1));
  }
}
