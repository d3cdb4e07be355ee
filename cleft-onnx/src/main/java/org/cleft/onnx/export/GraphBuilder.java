package org.cleft.onnx.export;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Builds one ONNX graph on tribuo-util-onnx's {@link ONNXContext}: nodes through
 * {@code ONNXContext.operation} with the operators of {@link OnnxOp}, small constants as the context's
 * initializers. Two things the context cannot express are recorded here and applied by
 * {@link ModelFile} with the raw {@code OnnxMl} builders: the real type and shape of each graph input
 * and output (the context only makes float [batch, n] placeholders), and the weights, which enter the
 * context as one-element placeholders and are replaced by the real tensors, read one at a time, when
 * the model is written.
 */
final class GraphBuilder {
  /** Symbolic or fixed dimensions of a graph input or output: a String names a dynamic axis, a Number fixes it. */
  record ValueSpec(String name, DataType type, List<Object> dims) {}

  private final ONNXContext context = new ONNXContext();
  private final int opset;
  private final Map<String, Param> weights = new LinkedHashMap<>();
  private final List<ValueSpec> inputs = new ArrayList<>();
  private final List<ValueSpec> outputs = new ArrayList<>();

  /** A builder for a graph of the given ONNX opset. */
  GraphBuilder(String graphName, int opset) {
    this.opset = opset;
    context.setName(graphName);
  }

  /** The opset the nodes are emitted for. */
  int opset() {
    return opset;
  }

  /**
   * Declares a graph input.
   *
   * @param dims a {@code String} per dynamic axis (its symbolic name), an {@code Integer}/{@code Long} per fixed one
   */
  ONNXRef<?> input(String name, DataType type, Object... dims) {
    ONNXPlaceholder p = context.floatInput(name, 1);
    inputs.add(new ValueSpec(name, type, List.of(dims)));
    return p;
  }

  /** Makes {@code value} the graph output {@code name} with the given dimensions. */
  void output(String name, ONNXRef<?> value, Object... dims) {
    ONNXPlaceholder out = context.floatOutput(name, 1);
    context.assignTo(value, out);
    outputs.add(new ValueSpec(name, DataType.FLOAT, List.of(dims)));
  }

  /** A float32 initializer holding a parameter; its values are read when the model is written. */
  ONNXRef<?> weight(String name, Param param) {
    ONNXRef<?> ref = context.array(name, new float[] {0f});
    weights.put(ref.getReference(), param);
    return ref;
  }

  /** A float32 initializer with values known now. */
  ONNXRef<?> floats(String name, long[] shape, float[] values) {
    return weight(name, Param.of(name, shape, values));
  }

  /** A float32 scalar constant. */
  ONNXRef<?> scalar(String name, float value) {
    return context.constant(name, value);
  }

  /** An int64 scalar constant. */
  ONNXRef<?> scalar(String name, long value) {
    return context.constant(name, value);
  }

  /** A 1-D int64 constant (shapes, axes, indices). */
  ONNXRef<?> ints(String name, long... values) {
    return context.array(name, values);
  }

  /** One node with one output named after {@code output}. */
  ONNXRef<?> op(OnnxOp op, String output, Map<String, Object> attributes, ONNXRef<?>... in) {
    return context.operation(op, Arrays.asList(in), output, attributes);
  }

  /** One node with one output and no attributes. */
  ONNXRef<?> op(OnnxOp op, String output, ONNXRef<?>... in) {
    return op(op, output, Map.of(), in);
  }

  /** One node with several outputs. */
  List<ONNXNode> ops(OnnxOp op, List<String> outputNames, Map<String, Object> attributes, ONNXRef<?>... in) {
    return context.operation(op, Arrays.asList(in), outputNames, attributes);
  }

  /** The graph as the context built it (placeholder inputs, outputs and weights). */
  OnnxMl.GraphProto contextGraph() {
    return context.buildGraph();
  }

  /** The weights by initializer name, in the order they were added. */
  Map<String, Param> weights() {
    return weights;
  }

  /** The declared inputs. */
  List<ValueSpec> inputs() {
    return inputs;
  }

  /** The declared outputs. */
  List<ValueSpec> outputs() {
    return outputs;
  }

  /** Total bytes of the weights (float32). */
  long weightBytes() {
    return weights.values().stream().mapToLong(p -> 4 * p.numel()).sum();
  }
}
