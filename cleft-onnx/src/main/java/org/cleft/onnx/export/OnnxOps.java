package org.cleft.onnx.export;

import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The model module's op set on the ONNX exporter: each op adds nodes to the graph being built, named under the
 * current scope ({@code image_projection} gives the nodes {@code image_projection.matmul},
 * {@code image_projection.normalize}, ...). Immutable: {@link #scope(String)} returns a new instance.
 */
final class OnnxOps implements Ops<ONNXRef<?>> {
  private final Layers nn;
  private final String scope;

  OnnxOps(Layers nn, String scope) {
    this.nn = nn;
    this.scope = scope;
  }

  @Override
  public Ops<ONNXRef<?>> scope(String name) {
    return new OnnxOps(nn, scope.isEmpty() ? name : scope + "." + name);
  }

  @Override
  public ONNXRef<?> linear(ONNXRef<?> x, Linear<ONNXRef<?>> layer) {
    return nn.linear(scope, x, layer.weight(), layer.bias());
  }

  @Override
  public ONNXRef<?> l2Normalize(ONNXRef<?> x) {
    return nn.l2Normalize(scope + ".normalize", x);
  }
}
