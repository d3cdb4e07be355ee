package org.cleft.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the native values of one computation: every input tensor it creates and every
 * {@link OrtSession.Result} registered with it is closed, newest first, when the scope closes.
 * Not thread-safe: one scope per call. The counter it shares with its session counts values
 * created and not yet closed, so that tests can check that nothing outlives a call.
 */
final class OnnxScope implements AutoCloseable {
  private final OrtEnvironment env;
  private final AtomicInteger live;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private boolean closed;

  OnnxScope(OrtEnvironment env, AtomicInteger live) {
    this.env = env;
    this.live = live;
  }

  /** A float tensor holding a copy of {@code values}, owned by this scope. */
  OnnxTensor floats(float[] values, long[] shape) throws OrtException {
    return own(OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape));
  }

  /** An int64 tensor holding a copy of {@code values}, owned by this scope. */
  OnnxTensor longs(long[] values, long[] shape) throws OrtException {
    return own(OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
  }

  /** Registers a session result (which owns its output tensors) with this scope. */
  OrtSession.Result own(OrtSession.Result result) {
    register(result);
    return result;
  }

  private OnnxTensor own(OnnxTensor tensor) {
    register(tensor);
    return tensor;
  }

  private void register(AutoCloseable value) {
    owned.push(value);
    live.incrementAndGet();
  }

  /** Closes every value, newest first; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    while (!owned.isEmpty()) {
      try {
        owned.pop().close();
      } catch (Exception e) {
        failure = failure == null ? new IllegalStateException("onnx: cannot release a native value", e) : failure;
      } finally {
        live.decrementAndGet();
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
