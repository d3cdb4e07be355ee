package org.cleft.onnx.export;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.UnsafeByteOperations;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link GraphBuilder}'s graph as an ONNX model file: sets the real input and output types,
 * replaces each weight placeholder by its tensor (read one at a time), adds the opset import, IR
 * version, producer and metadata. Weights go inline, or, when asked (large models: a protobuf message
 * cannot exceed 2 GiB), into {@code <file>.data} next to the model as ONNX external data.
 */
final class ModelFile {
  private ModelFile() {}

  /** The IR version that goes with an opset (onnx's version table); ONNX Runtime 1.23 reads up to IR 11. */
  static int irVersion(int opset) {
    if (opset <= 18) {
      return 8;
    }
    return opset <= 20 ? 9 : 10;
  }

  /**
   * Writes the model.
   *
   * @param file the {@code .onnx} file (replaced atomically)
   * @param external whether weights go to {@code file + ".data"}
   * @param metadata {@code metadata_props} of the model
   * @return the files written
   * @throws IOException when a weight cannot be read or a file cannot be written
   */
  static List<Path> write(GraphBuilder graph, Path file, boolean external, String producerVersion,
      String docString, Map<String, String> metadata) throws IOException {
    OnnxMl.GraphProto.Builder g = graph.contextGraph().toBuilder();
    setValueInfos(g, graph);
    Path dataFile = file.resolveSibling(file.getFileName() + ".data");
    Path tmpData = file.resolveSibling(file.getFileName() + ".data.tmp");
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      setWeights(g, graph, external ? tmpData : null, dataFile.getFileName().toString());
      OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
          .setIrVersion(irVersion(graph.opset()))
          .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(graph.opset()))
          .setProducerName("cleft").setProducerVersion(producerVersion).setDocString(docString)
          .setGraph(g);
      metadata.forEach((k, v) -> model.addMetadataProps(entry(k, v)));
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        model.build().writeTo(out);
      }
      if (external) {
        Files.move(tmpData, dataFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.deleteIfExists(dataFile); // left by an earlier export with external data
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(tmpData);
    }
    return external ? List.of(file, dataFile) : List.of(file);
  }

  /** Replaces every weight placeholder by its tensor, inline or appended to {@code dataFile}. */
  private static void setWeights(OnnxMl.GraphProto.Builder g, GraphBuilder graph, Path dataFile, String location)
      throws IOException {
    try (FileChannel data = dataFile == null ? null : FileChannel.open(dataFile, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      for (int i = 0; i < g.getInitializerCount(); i++) {
        String name = g.getInitializer(i).getName();
        Param p = graph.weights().get(name);
        if (p != null) {
          g.setInitializer(i, tensor(name, p, data, location));
        }
      }
    }
  }

  private static void setValueInfos(OnnxMl.GraphProto.Builder g, GraphBuilder graph) {
    for (GraphBuilder.ValueSpec spec : graph.inputs()) {
      for (int i = 0; i < g.getInputCount(); i++) {
        if (g.getInput(i).getName().equals(spec.name())) {
          g.setInput(i, valueInfo(spec));
        }
      }
    }
    for (GraphBuilder.ValueSpec spec : graph.outputs()) {
      for (int i = 0; i < g.getOutputCount(); i++) {
        if (g.getOutput(i).getName().equals(spec.name())) {
          g.setOutput(i, valueInfo(spec));
        }
      }
    }
  }

  private static OnnxMl.ValueInfoProto valueInfo(GraphBuilder.ValueSpec spec) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (Object d : spec.dims()) {
      if (d instanceof Number n) {
        shape.addDimBuilder().setDimValue(n.longValue());
      } else {
        shape.addDimBuilder().setDimParam(d.toString());
      }
    }
    OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
        .setElemType(spec.type().getNumber()).setShape(shape)).build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(spec.name()).setType(type).build();
  }

  private static TensorProto tensor(String name, Param p, FileChannel data, String location) throws IOException {
    float[] values = p.read();
    ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : p.shape()) {
      t.addDims(d);
    }
    if (data == null) {
      return t.setRawData(UnsafeByteOperations.unsafeWrap(bytes.array())).build();
    }
    long offset = data.position();
    while (bytes.hasRemaining()) {
      data.write(bytes);
    }
    return t.setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(entry("location", location))
        .addExternalData(entry("offset", Long.toString(offset)))
        .addExternalData(entry("length", Long.toString(4L * values.length)))
        .build();
  }

  private static OnnxMl.StringStringEntryProto entry(String key, String value) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
