package org.cleft.tf;

import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.Linear;
import org.cleft.model.ValuesChange;
import org.cleft.model.Weights;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A checkpoint part's tensors as placeholders of the graph being built, each fed with its tensor on every run (the
 * model module's {@link Weights} on TensorFlow): the weights stay out of the {@code GraphDef}, which protobuf limits
 * to 2 GB, and a trainer can feed new values. Linear layers keep the stored layout.
 */
final class TfWeights implements Weights<Operand<?>> {
  private final TfGraph graph;
  private final TfTensors tensors;
  private final String prefix;

  /**
   * The weights of {@code tensors} in {@code graph}, registered there as {@code prefix + name}.
   */
  TfWeights(TfGraph graph, TfTensors tensors, String prefix) {
    this.graph = graph;
    this.tensors = tensors;
    this.prefix = prefix;
  }

  @Override
  public String origin() {
    return tensors.origin();
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
  public Operand<?> tensor(String name, long[] shape, ValuesChange change) throws CheckpointException {
    TFloat32 t = tensors.get(name, shape, change);
    Operand<TFloat32> p = graph.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    graph.register(prefix + name, p, t);
    return p;
  }

  @Override
  public Linear<Operand<?>> linear(Layer layer) throws CheckpointException {
    String bias = layer.prefix() + ".bias";
    boolean hasBias = hasBias(layer);
    Operand<?> w = tensor(layer.prefix() + ".weight", layer.weightShape(), layer.weightChange());
    return new Linear<>(w, hasBias ? tensor(bias, new long[] {layer.out()}, layer.biasChange()) : null,
        layer.inputMajor());
  }
}
