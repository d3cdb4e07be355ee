package org.cleft.tf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cleft.api.Embeddings;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One TensorFlow graph and its session, with the weight tensors every run feeds. {@link #run} is safe from several
 * threads (TensorFlow sessions are); closing the graph closes its session, not the weight tensors (their
 * {@link TfTensors} owns them).
 */
final class TfGraph implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Ops tf = Ops.create(graph);
  private final Map<Operand<?>, TFloat32> weights = new LinkedHashMap<>();
  private final Map<String, Operand<?>> named = new LinkedHashMap<>();
  private final AtomicLong live = new AtomicLong();
  private Session session;

  Ops tf() {
    return tf;
  }

  Graph graph() {
    return graph;
  }

  /** The placeholders of the weights and their tensors, filled while the graph is built. */
  Map<Operand<?>, TFloat32> weights() {
    return weights;
  }

  /**
   * Records a weight's placeholder and the tensor it is fed with.
   *
   * @param name the weight's name in the model ({@code vision.encoder.layer.0...}, {@code logit_scale})
   */
  void register(String name, Operand<?> placeholder, TFloat32 tensor) {
    weights.put(placeholder, tensor);
    named.putIfAbsent(name, placeholder);
  }

  /** {@return the weights' placeholders by their model names} */
  Map<String, Operand<?>> named() {
    return named;
  }

  /** Starts the session once the graph is complete. */
  synchronized void start() {
    if (session == null) {
      session = new Session(graph);
    }
  }

  /**
   * {@return the fetched values, the caller closes the result}
   *
   * @param inputs the inputs' placeholders and their tensors (owned by the caller)
   * @param fetches what to compute
   */
  Result run(Map<Operand<?>, Tensor> inputs, List<Operand<?>> fetches) {
    Session.Runner r = session.runner();
    // an input may override a weight (a trainer feeds its current values)
    weights.forEach((p, t) -> {
      if (!inputs.containsKey(p)) {
        r.feed(p, t);
      }
    });
    inputs.forEach(r::feed);
    fetches.forEach(r::fetch);
    return r.run();
  }

  /**
   * {@return a call's native values (its input tensors and its result), counted while open}
   *
   * @param inputs the input tensors, closed with the call
   */
  Call call(Tensor... inputs) {
    return new Call(inputs);
  }

  /** {@return the native values of calls still open: 0 between calls} */
  long liveValues() {
    return live.get();
  }

  /** One run's native values, closed together. */
  final class Call implements AutoCloseable {
    private final Tensor[] inputs;
    private Result result;

    private Call(Tensor[] inputs) {
      this.inputs = inputs;
      live.addAndGet(inputs.length);
    }

    /** Runs the graph once; the result is closed with the call. */
    Result run(Map<Operand<?>, Tensor> feeds, List<Operand<?>> fetches) {
      result = TfGraph.this.run(feeds, fetches);
      live.incrementAndGet();
      return result;
    }

    @Override
    public void close() {
      for (Tensor t : inputs) {
        t.close();
      }
      live.addAndGet(-inputs.length);
      if (result != null) {
        result.close();
        live.decrementAndGet();
      }
    }
  }

  /** Copies a [rows, dim] float tensor out into embeddings. */
  static Embeddings embeddings(TFloat32 out, int rows, int dim) {
    float[] data = new float[rows * dim];
    out.copyTo(DataBuffers.of(data, false, false));
    return new Embeddings(data, rows, dim);
  }

  @Override
  public synchronized void close() {
    if (session != null) {
      session.close();
      session = null;
    }
    graph.close();
  }
}
