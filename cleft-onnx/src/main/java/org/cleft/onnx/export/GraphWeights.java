package org.cleft.onnx.export;

import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.Linear;
import org.cleft.model.ValuesChange;
import org.cleft.model.Weights;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A checkpoint file's tensors as initializers of the graph being built (the model module's {@link Weights} on the
 * ONNX exporter), named by their checkpoint names. Values are read, and changed, when the model file is written. A
 * linear layer's weight is stored [in, out], as {@code MatMul} takes it ({@code nn.Linear} weights are transposed).
 */
final class GraphWeights implements Weights<ONNXRef<?>> {
  private final GraphBuilder g;
  private final CheckpointTensors tensors;

  GraphWeights(GraphBuilder g, CheckpointTensors tensors) {
    this.g = g;
    this.tensors = tensors;
  }

  /** The tensors for shape checks only, outside any graph (asking for a tensor is then refused). */
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
  public ONNXRef<?> tensor(String name, long[] shape, ValuesChange change) throws CheckpointException {
    return graph(name).weight(name, tensors.require(name, shape).changed(change));
  }

  @Override
  public Linear<ONNXRef<?>> linear(Layer layer) throws CheckpointException {
    String weight = layer.prefix() + ".weight";
    String bias = layer.prefix() + ".bias";
    Param w = tensors.require(weight, layer.weightShape()).changed(layer.weightChange());
    boolean hasBias = hasBias(layer);
    ONNXRef<?> b = hasBias ? graph(bias).weight(bias, tensors.require(bias, layer.out()).changed(layer.biasChange()))
        : null;
    return new Linear<>(graph(weight).weight(weight, layer.inputMajor() ? w : w.transposed()), b, true);
  }

  private GraphBuilder graph(String tensor) {
    if (g == null) {
      throw new IllegalStateException("GraphWeights.shapes(...) has no graph to add '" + tensor + "' to");
    }
    return g;
  }
}
