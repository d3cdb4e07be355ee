package org.cleft.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the native values of one computation: every input tensor it creates and every
 * {@link OrtSession.Result} registered with it are closed when the scope closes, results first.
 * Not thread-safe: one scope per call. The counter it shares with its graph counts the values it
 * was given that ONNX Runtime does not report closed ({@link OnnxValue#isClosed()}), so that
 * tests can check exactly that nothing outlives a call.
 */
final class OnnxScope implements AutoCloseable {
  private final OrtEnvironment env;
  private final AtomicInteger live;
  private final Deque<OrtSession.Result> results = new ArrayDeque<>();
  private final List<OnnxValue> inputs = new ArrayList<>();
  private final List<OnnxValue> tracked = new ArrayList<>();
  private boolean closed;

  OnnxScope(OrtEnvironment env, AtomicInteger live) {
    this.env = env;
    this.live = live;
  }

  /** A float tensor holding a copy of {@code values}, owned by this scope. */
  OnnxTensor floats(float[] data, long[] shape) throws OrtException {
    return own(OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape));
  }

  /** An int64 tensor holding a copy of {@code values}, owned by this scope. */
  OnnxTensor longs(long[] data, long[] shape) throws OrtException {
    return own(OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape));
  }

  /** Registers a session result, which owns its output values, with this scope. */
  OrtSession.Result own(OrtSession.Result result) {
    results.push(result);
    for (Map.Entry<String, OnnxValue> output : result) {
      track(output.getValue()); // closed by the result
    }
    return result;
  }

  private OnnxTensor own(OnnxTensor tensor) {
    inputs.add(tensor);
    track(tensor);
    return tensor;
  }

  private void track(OnnxValue value) {
    tracked.add(value);
    live.incrementAndGet();
  }

  /** Closes every result, then every input; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      while (!results.isEmpty()) {
        results.pop().close();
      }
      inputs.forEach(OnnxValue::close);
    } finally {
      for (OnnxValue v : tracked) {
        if (v.isClosed()) {
          live.decrementAndGet();
        }
      }
    }
  }
}
