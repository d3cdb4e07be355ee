package org.cleft.onnx.export;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The ONNX operators the exporter emits, described for tribuo-util-onnx's {@link ONNXOperator}
 * (input counts and attributes, which {@code ONNXOperator.build} checks for every node). Tribuo's own
 * {@code ONNXOperators} stops short of MatMul, Conv, LayerNormalization and the shape operators, so
 * the exporter declares its own set, at the semantics of opset 17 and 18 (where an attribute became an
 * input the attribute is optional and the extra input is declared optional).
 */
enum OnnxOp implements ONNXOperator {
  ADD("Add", 2, 0),
  SUB("Sub", 2, 0),
  MUL("Mul", 2, 0),
  DIV("Div", 2, 0),
  MAX("Max", ONNXAttribute.VARIADIC_INPUT, 0),
  MATMUL("MatMul", 2, 0),
  ERF("Erf", 1, 0),
  TANH("Tanh", 1, 0),
  EXP("Exp", 1, 0),
  SQRT("Sqrt", 1, 0),
  SIGMOID("Sigmoid", 1, 0),
  RELU("Relu", 1, 0),
  CAST("Cast", 1, 0, attr("to", AttributeType.INT, true)),
  SOFTMAX("Softmax", 1, 0, attr("axis", AttributeType.INT, false)),
  LAYER_NORMALIZATION("LayerNormalization", 2, 1, attr("axis", AttributeType.INT, false),
      attr("epsilon", AttributeType.FLOAT, false), attr("stash_type", AttributeType.INT, false)),
  CONV("Conv", 2, 1, attr("kernel_shape", AttributeType.INTS, false), attr("strides", AttributeType.INTS, false),
      attr("pads", AttributeType.INTS, false), attr("dilations", AttributeType.INTS, false),
      attr("group", AttributeType.INT, false)),
  RESHAPE("Reshape", 2, 0, attr("allowzero", AttributeType.INT, false)),
  TRANSPOSE("Transpose", 1, 0, attr("perm", AttributeType.INTS, false)),
  CONCAT("Concat", ONNXAttribute.VARIADIC_INPUT, 0, attr("axis", AttributeType.INT, true)),
  /** Split into two equal parts (tribuo checks the output count, so each count is its own constant). */
  SPLIT2("Split", 1, 1, 2, attr("axis", AttributeType.INT, false), attr("num_outputs", AttributeType.INT, false)),
  /** Split into three equal parts. */
  SPLIT3("Split", 1, 1, 3, attr("axis", AttributeType.INT, false), attr("num_outputs", AttributeType.INT, false)),
  SHAPE("Shape", 1, 0, attr("start", AttributeType.INT, false), attr("end", AttributeType.INT, false)),
  SLICE("Slice", 3, 2),
  EXPAND("Expand", 2, 0),
  UNSQUEEZE("Unsqueeze", 2, 0),
  SQUEEZE("Squeeze", 1, 1),
  GATHER("Gather", 2, 0, attr("axis", AttributeType.INT, false)),
  GATHER_ELEMENTS("GatherElements", 2, 0, attr("axis", AttributeType.INT, false)),
  RANGE("Range", 3, 0),
  LESS_OR_EQUAL("LessOrEqual", 2, 0),
  AND("And", 2, 0),
  WHERE("Where", 3, 0),
  REDUCE_MEAN("ReduceMean", 1, 1, attr("axes", AttributeType.INTS, false), attr("keepdims", AttributeType.INT, false)),
  REDUCE_L2("ReduceL2", 1, 1, attr("axes", AttributeType.INTS, false), attr("keepdims", AttributeType.INT, false)),
  REDUCE_SUM("ReduceSum", 1, 1, attr("keepdims", AttributeType.INT, false),
      attr("noop_with_empty_axes", AttributeType.INT, false)),
  IDENTITY("Identity", 1, 0);

  private final String opName;
  private final int inputs;
  private final int optionalInputs;
  private final int outputs;
  private final Map<String, ONNXAttribute> attributes;
  private final Set<String> mandatory;

  OnnxOp(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
    this(opName, inputs, optionalInputs, 1, attributes);
  }

  OnnxOp(String opName, int inputs, int optionalInputs, int outputs, ONNXAttribute... attributes) {
    this.opName = opName;
    this.inputs = inputs;
    this.optionalInputs = optionalInputs;
    this.outputs = outputs;
    Map<String, ONNXAttribute> map = new LinkedHashMap<>();
    for (ONNXAttribute a : attributes) {
      map.put(a.getName(), a);
    }
    this.attributes = Collections.unmodifiableMap(map);
    this.mandatory = map.values().stream().filter(ONNXAttribute::isMandatory).map(ONNXAttribute::getName)
        .collect(Collectors.toUnmodifiableSet());
  }

  private static ONNXAttribute attr(String name, AttributeType type, boolean mandatory) {
    return new ONNXAttribute(name, type, mandatory);
  }

  @Override
  public String getOpName() {
    return opName;
  }

  @Override
  public int getNumInputs() {
    return inputs;
  }

  @Override
  public int getNumOptionalInputs() {
    return optionalInputs;
  }

  @Override
  public int getNumOutputs() {
    return outputs;
  }

  @Override
  public Map<String, ONNXAttribute> getAttributes() {
    return attributes;
  }

  @Override
  public Set<String> getMandatoryAttributeNames() {
    return mandatory;
  }

  /** The first opset these semantics hold for; the model's opset import decides. */
  @Override
  public int getOpVersion() {
    return 17;
  }

  @Override
  public String getOpDomain() {
    return "";
  }
}
