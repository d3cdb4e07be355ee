package org.cleft.model;

import java.util.List;

/**
 * A reference engine's base for tests of the parts written once: every op refused, so that a test engine implements
 * only the ops the part under test uses (and a test fails loudly when the part uses another).
 *
 * @param <T> the test engine's tensor
 */
public abstract class PartialOps<T> implements Ops<T> {
  @Override
  public Ops<T> scope(String name) {
    return this;
  }

  @Override
  public T add(T a, T b) {
    throw new UnsupportedOperationException("add");
  }

  @Override
  public T mul(T a, T b) {
    throw new UnsupportedOperationException("mul");
  }

  @Override
  public T scale(T x, double factor) {
    throw new UnsupportedOperationException("scale");
  }

  @Override
  public T offset(T x, double value) {
    throw new UnsupportedOperationException("offset");
  }

  @Override
  public T matmul(T a, T b) {
    throw new UnsupportedOperationException("matmul");
  }

  @Override
  public T exp(T x) {
    throw new UnsupportedOperationException("exp");
  }

  @Override
  public T linear(T x, Linear<T> layer) {
    throw new UnsupportedOperationException("linear");
  }

  @Override
  public T layerNorm(T x, T gamma, T beta, double eps) {
    throw new UnsupportedOperationException("layerNorm");
  }

  @Override
  public T rmsNorm(T x, T weight, double eps) {
    throw new UnsupportedOperationException("rmsNorm");
  }

  @Override
  public T softmax(T x) {
    throw new UnsupportedOperationException("softmax");
  }

  @Override
  public T gelu(T x) {
    throw new UnsupportedOperationException("gelu");
  }

  @Override
  public T tanh(T x) {
    throw new UnsupportedOperationException("tanh");
  }

  @Override
  public T sigmoid(T x) {
    throw new UnsupportedOperationException("sigmoid");
  }

  @Override
  public T relu(T x) {
    throw new UnsupportedOperationException("relu");
  }

  @Override
  public T dropout(T x, double p) {
    throw new UnsupportedOperationException("dropout");
  }

  @Override
  public T patchConv(T pixels, T weight, T bias, int patch) {
    throw new UnsupportedOperationException("patchConv");
  }

  @Override
  public T embedding(T table, T ids) {
    throw new UnsupportedOperationException("embedding");
  }

  @Override
  public T reshape(T x, long... shape) {
    throw new UnsupportedOperationException("reshape");
  }

  @Override
  public T transpose(T x, int... perm) {
    throw new UnsupportedOperationException("transpose");
  }

  @Override
  public List<T> split(T x, int parts) {
    throw new UnsupportedOperationException("split");
  }

  @Override
  public T concat(int axis, List<T> parts) {
    throw new UnsupportedOperationException("concat");
  }

  @Override
  public T slice(T x, int axis, long start, long end) {
    throw new UnsupportedOperationException("slice");
  }

  @Override
  public T expandBatch(T x, T like) {
    throw new UnsupportedOperationException("expandBatch");
  }

  @Override
  public T constant(T like, long[] shape, float[] values) {
    throw new UnsupportedOperationException("constant");
  }

  @Override
  public T positionIds(T like, int axis, long offset, long limit) {
    throw new UnsupportedOperationException("positionIds");
  }

  @Override
  public T causalMask(T mask, int past) {
    throw new UnsupportedOperationException("causalMask");
  }

  @Override
  public T maskScores(T scores, T allowed) {
    throw new UnsupportedOperationException("maskScores");
  }

  @Override
  public T l2Normalize(T x) {
    throw new UnsupportedOperationException("l2Normalize");
  }

  @Override
  public T mean(T x, int axis) {
    throw new UnsupportedOperationException("mean");
  }

  @Override
  public T tokenAt(T x, T index) {
    throw new UnsupportedOperationException("tokenAt");
  }

  @Override
  public T lastPosition(T mask) {
    throw new UnsupportedOperationException("lastPosition");
  }
}
