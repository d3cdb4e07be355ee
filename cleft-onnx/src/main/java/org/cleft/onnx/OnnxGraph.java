package org.cleft.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.cleft.api.Embeddings;
import org.cleft.api.checkpoint.CheckpointException;

/**
 * One ONNX graph of a checkpoint ({@code image_encoder.onnx} or {@code text_encoder.onnx}) in its
 * {@link OrtSession}, with checks of its inputs and its {@code embeds} output. Runs may come from
 * several threads at once (ONNX Runtime's {@code Run} is thread-safe); {@link #close()} waits for
 * running calls and then closes the session.
 */
final class OnnxGraph implements AutoCloseable {
  /** The output every CLEFT tower graph has: L2-normalised embeddings [B, E]. */
  static final String OUTPUT = "embeds";
  private final OrtEnvironment env;
  private final OrtSession session;
  private final Path file;
  private final AtomicInteger liveValues = new AtomicInteger();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  OnnxGraph(OrtEnvironment env, OrtSession session, Path file) {
    this.env = env;
    this.session = session;
    this.file = file;
  }

  /** The graph file. */
  Path file() {
    return file;
  }

  /** The graph's file name, for messages. */
  String name() {
    return file.getFileName().toString();
  }

  /** A new scope for the native values of one call. */
  OnnxScope scope() {
    return new OnnxScope(env, liveValues);
  }

  /** Input tensors and results created by calls and not yet closed (0 between calls). */
  int liveValues() {
    return liveValues.get();
  }

  /**
   * The description of input {@code name}, checked for element type and rank.
   *
   * @throws CheckpointException naming the graph, the input and what it found instead
   */
  TensorInfo input(String name, OnnxJavaType type, int rank, String expected) throws CheckpointException {
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      NodeInfo node = inputs.get(name);
      if (node == null) {
        throw new CheckpointException(file + ": the graph has no input '" + name + "' (expected " + expected
            + "); its inputs are " + describe(inputs));
      }
      return checked(node, type, rank, expected);
    } catch (OrtException e) {
      throw new CheckpointException(file + ": cannot read the graph's inputs: " + e.getMessage(), e);
    }
  }

  /**
   * The description of the {@value #OUTPUT} output, checked to be a float matrix.
   *
   * @throws CheckpointException naming the graph and what it found instead
   */
  TensorInfo output() throws CheckpointException {
    String expected = "float " + OUTPUT + " [B,E]";
    try {
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      NodeInfo node = outputs.get(OUTPUT);
      if (node == null) {
        throw new CheckpointException(file + ": the graph has no output '" + OUTPUT + "' (expected " + expected
            + "); its outputs are " + describe(outputs));
      }
      return checked(node, OnnxJavaType.FLOAT, 2, expected);
    } catch (OrtException e) {
      throw new CheckpointException(file + ": cannot read the graph's outputs: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that the {@value #OUTPUT} output is a float matrix whose width, when the graph fixes it, is
   * {@code width}.
   *
   * @throws CheckpointException naming the graph and both widths
   */
  void checkOutputWidth(int width) throws CheckpointException {
    long fixed = output().getShape()[1];
    if (fixed > 0 && fixed != width) {
      throw new CheckpointException(file + ": output '" + OUTPUT + "' is " + fixed + " wide but the projection "
          + "heads give embeddings of width " + width);
    }
  }

  private TensorInfo checked(NodeInfo node, OnnxJavaType type, int rank, String expected)
      throws CheckpointException {
    if (!(node.getInfo() instanceof TensorInfo info) || info.type != type || info.getShape().length != rank) {
      throw new CheckpointException(file + ": '" + node.getName() + "' is " + node.getInfo() + "; expected "
          + expected);
    }
    return info;
  }

  private static String describe(Map<String, NodeInfo> nodes) {
    return nodes.values().stream().map(n -> n.getName() + " " + shapeOf(n)).collect(Collectors.joining(", ", "{", "}"));
  }

  private static String shapeOf(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo t ? t.type + Arrays.toString(t.getShape()) : node.getInfo().toString();
  }

  /**
   * Runs the graph and copies its {@value #OUTPUT} output out of native memory.
   *
   * @param feeds the input tensors, owned by {@code scope}
   * @param rows the batch size the output must have
   * @param width the embedding width the output must have
   * @param scope the call's scope, which takes ownership of the result
   * @throws IllegalStateException when the graph is closed, fails, or returns an unexpected shape
   */
  Embeddings embed(Map<String, OnnxTensor> feeds, int rows, int width, OnnxScope scope) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("onnx: " + name() + " is closed");
      }
      OrtSession.Result result = scope.own(session.run(feeds));
      OnnxValue value = result.get(OUTPUT).orElseThrow(
          () -> new IllegalStateException("onnx: " + file + " returned no '" + OUTPUT + "' output"));
      if (!(value instanceof OnnxTensor tensor)) {
        throw new IllegalStateException("onnx: " + file + ": output '" + OUTPUT + "' is not a tensor");
      }
      long[] shape = tensor.getInfo().getShape();
      if (shape.length != 2 || shape[0] != rows || shape[1] != width) {
        throw new IllegalStateException("onnx: " + file + ": output '" + OUTPUT + "' has shape "
            + Arrays.toString(shape) + "; expected [" + rows + "," + width + "]");
      }
      FloatBuffer buffer = tensor.getFloatBuffer();
      float[] data = new float[buffer.remaining()];
      buffer.get(data);
      return new Embeddings(data, rows, width);
    } catch (OrtException e) {
      throw new IllegalStateException("onnx: " + file + " failed on inputs " + shapes(feeds) + ": " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static String shapes(Map<String, OnnxTensor> feeds) {
    return feeds.entrySet().stream().map(e -> e.getKey() + Arrays.toString(e.getValue().getInfo().getShape()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  /** Waits for running calls, then closes the session; idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("onnx: cannot close the session of " + file + ": " + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
  }
}
