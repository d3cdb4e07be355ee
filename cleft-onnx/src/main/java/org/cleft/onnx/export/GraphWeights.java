package org.cleft.onnx.export;

import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.Linear;
import org.cleft.model.Weights;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A checkpoint file's tensors as initializers of the graph being built (the model module's {@link Weights} on the
 * ONNX exporter). A linear layer's weight is stored transposed, [in, out], as {@code MatMul} takes it.
 */
final class GraphWeights implements Weights<ONNXRef<?>> {
  private final GraphBuilder g;
  private final CheckpointTensors tensors;

  GraphWeights(GraphBuilder g, CheckpointTensors tensors) {
    this.g = g;
    this.tensors = tensors;
  }

  /** The tensors for shape checks only, outside any graph ({@link #linear} is then refused). */
  static GraphWeights shapes(CheckpointTensors tensors) {
    return new GraphWeights(null, tensors);
  }

  @Override
  public String origin() {
    return tensors.path().toString();
  }

  @Override
  public boolean contains(String name) {
    return tensors.contains(name);
  }

  @Override
  public long[] shape(String name) throws CheckpointException {
    return tensors.shape(name);
  }

  @Override
  public Linear<ONNXRef<?>> linear(String prefix, long out, long in) throws CheckpointException {
    if (g == null) {
      throw new IllegalStateException("GraphWeights.shapes(...) has no graph to add '" + prefix + "' to");
    }
    ONNXRef<?> w = g.weight(prefix + ".weight", tensors.require(prefix + ".weight", out, in).transposed());
    ONNXRef<?> b = tensors.contains(prefix + ".bias") ? g.weight(prefix + ".bias", tensors.require(prefix + ".bias", out))
        : null;
    return new Linear<>(w, b);
  }
}
