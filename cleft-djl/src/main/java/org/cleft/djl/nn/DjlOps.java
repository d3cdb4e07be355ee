package org.cleft.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.cleft.model.Linear;
import org.cleft.model.Ops;

/**
 * The model module's op set on DJL: eager {@code NDArray} operations with PyTorch's numerics, differentiable (autograd
 * records them when a gradient collector is open). Names are not used, so {@link #scope(String)} returns the same
 * instance. {@link #TRAINING} applies dropout, {@link #INFERENCE} does not (as {@code model.train()} and
 * {@code model.eval()} in PyTorch).
 */
public final class DjlOps implements Ops<NDArray> {
  /** Inference: dropout off. */
  public static final DjlOps INFERENCE = new DjlOps(false);
  /** Training: dropout on. */
  public static final DjlOps TRAINING = new DjlOps(true);
  /** The additive mask value for disallowed positions: {@code torch.finfo(float32).min}, as HF uses. */
  private static final float MASKED = -Float.MAX_VALUE;
  private static final NDIndex ALL = new NDIndex(":");
  /** Elements of a half-precision weight widened to float32 at once (4 MB): see {@link #linear}. */
  private static final long WIDEN_BLOCK_ELEMENTS = 1 << 20;

  private final boolean training;

  private DjlOps(boolean training) {
    this.training = training;
  }

  /**
   * {@return the ops for training or for inference}
   *
   * @param training whether dropout acts
   */
  public static DjlOps of(boolean training) {
    return training ? TRAINING : INFERENCE;
  }

  @Override
  public Ops<NDArray> scope(String name) {
    return this;
  }

  @Override
  public NDArray add(NDArray a, NDArray b) {
    return a.add(b);
  }

  @Override
  public NDArray mul(NDArray a, NDArray b) {
    return a.mul(b);
  }

  @Override
  public NDArray scale(NDArray x, double factor) {
    return NdOps.mul(x, factor);
  }

  @Override
  public NDArray offset(NDArray x, double value) {
    return x.add(NdOps.scalar(x, value));
  }

  @Override
  public NDArray matmul(NDArray a, NDArray b) {
    return a.matMul(b);
  }

  @Override
  public NDArray exp(NDArray x) {
    return x.exp();
  }

  /**
   * {@inheritDoc} A weight kept in half precision (frozen weights, {@link Parameters#load(NDManager,
   * org.cleft.api.safetensors.TensorSource, java.util.function.Predicate, String, org.cleft.api.safetensors.DType)})
   * is widened to float32 for the product: the arithmetic is float32 throughout (libtorch's float16 matrix product on
   * CPU is two orders of magnitude slower) and only the weights are rounded. Without a gradient graph the widening
   * goes a block of output features (4 MB) at a time into reused scratch arrays: whole-matrix copies, though freed at
   * once, raised the peak of a forward pass by a fifth of the weights through allocator fragmentation. Under a graph
   * each widened matrix is a copy of its own, which autograd keeps until the backward pass.
   */
  @Override
  public NDArray linear(NDArray x, Linear<NDArray> layer) {
    NDArray w = layer.weight();
    if (w.getDataType() == DataType.FLOAT32) {
      return product(x, w, layer);
    }
    if (recorded(x)) {
      // a graph records this product and keeps its float32 weight until the backward pass: a copy of its own
      try (NDArray wide = w.toType(DataType.FLOAT32, false)) {
        return product(x, wide, layer);
      }
    }
    // no graph: the weight is widened a block of output features at a time into scratch arrays reused across the
    // layers of this call, so the allocator sees a few small buffers rather than a float32 copy of every matrix
    long[] shape = w.getShape().getShape();
    int outAxis = layer.inputMajor() ? 1 : 0;
    long out = shape[outAxis];
    long block = Math.max(1, WIDEN_BLOCK_ELEMENTS / shape[1 - outAxis]);
    NDList parts = new NDList();
    for (long start = 0; start < out; start += block) {
      long end = Math.min(out, start + block);
      NDIndex cut = outAxis == 1 ? new NDIndex().addAllDim().addSliceDim(start, end)
          : new NDIndex().addSliceDim(start, end);
      long[] blockShape = shape.clone();
      blockShape[outAxis] = end - start;
      NDArray wide = Scratch.of(x.getManager(), new Shape(blockShape));
      try (NDArray view = w.get(cut)) {
        wide.set(ALL, view);
      }
      parts.add(layer.inputMajor() ? x.matMul(wide) : ai.djl.nn.core.Linear.linear(x, wide, null).singletonOrThrow());
    }
    NDArray y = parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, -1);
    return layer.bias() == null ? y : y.add(layer.bias());
  }

  /**
   * {@return whether autograd may record the product: grad mode is on (a gradient collector is open) or {@code x}
   * requires a gradient. Reusing a scratch array under a recording breaks the saved tensors of the backward pass}
   */
  private static boolean recorded(NDArray x) {
    return x instanceof PtNDArray p ? JniUtils.isGradMode() || JniUtils.requiresGrad(p) : x.hasGradient();
  }

  /**
   * Float32 scratch arrays for widening half-precision weights, per manager (the one a call's activations live on,
   * which closes them with it), thread and shape.
   */
  private static final class Scratch {
    private static final Map<NDManager, Map<String, NDArray>> BY_MANAGER = new WeakHashMap<>();

    private Scratch() {}

    static synchronized NDArray of(NDManager manager, Shape shape) {
      Map<String, NDArray> arrays = BY_MANAGER.computeIfAbsent(manager, m -> new HashMap<>());
      String key = Thread.currentThread().getId() + ":" + shape;
      NDArray a = arrays.get(key);
      if (a == null || a.isReleased()) {
        a = manager.create(shape, DataType.FLOAT32);
        arrays.put(key, a);
      }
      return a;
    }
  }

  private static NDArray product(NDArray x, NDArray w, Linear<NDArray> layer) {
    if (layer.inputMajor()) {
      NDArray y = x.matMul(w);
      return layer.bias() == null ? y : y.add(layer.bias());
    }
    return ai.djl.nn.core.Linear.linear(x, w, layer.bias()).singletonOrThrow();
  }

  @Override
  public NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
    long width = x.getShape().get(x.getShape().dimension() - 1);
    return LayerNorm.layerNorm(x, new Shape(width), gamma, beta, (float) eps).singletonOrThrow();
  }

  @Override
  public NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
    NDArray meanSquare = x.square().mean(new int[] {-1}, true);
    return weight.mul(x.div(meanSquare.add(NdOps.scalar(x, eps)).sqrt()));
  }

  @Override
  public NDArray softmax(NDArray x) {
    return x.softmax(-1);
  }

  @Override
  public NDArray gelu(NDArray x) {
    return Activation.gelu(x);
  }

  @Override
  public NDArray tanh(NDArray x) {
    return x.tanh();
  }

  @Override
  public NDArray sigmoid(NDArray x) {
    return Activation.sigmoid(x);
  }

  @Override
  public NDArray relu(NDArray x) {
    return Activation.relu(x);
  }

  @Override
  public NDArray dropout(NDArray x, double p) {
    return training && p > 0 ? Dropout.dropout(x, (float) p, true).singletonOrThrow() : x;
  }

  @Override
  public NDArray patchConv(NDArray pixels, NDArray weight, NDArray bias, int patch) {
    return Conv2d.conv2d(pixels, weight, bias, new Shape(patch, patch), new Shape(0, 0), new Shape(1, 1), 1)
        .singletonOrThrow();
  }

  @Override
  public NDArray embedding(NDArray table, NDArray ids) {
    NDArray rows = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    return rows.getDataType() == DataType.FLOAT32 ? rows : rows.toType(DataType.FLOAT32, false);
  }

  @Override
  public NDArray reshape(NDArray x, long... shape) {
    long[] s = x.getShape().getShape();
    long[] resolved = shape.clone();
    for (int i = 0; i < resolved.length; i++) {
      if (resolved[i] == 0) {
        resolved[i] = s[i];
      }
    }
    return x.reshape(new Shape(resolved));
  }

  @Override
  public NDArray transpose(NDArray x, int... perm) {
    return x.transpose(perm);
  }

  @Override
  public List<NDArray> split(NDArray x, int parts) {
    return x.split(parts, x.getShape().dimension() - 1).getResourceNDArrays();
  }

  @Override
  public NDArray concat(int axis, List<NDArray> parts) {
    return NDArrays.concat(new NDList(parts), axis);
  }

  @Override
  public NDArray slice(NDArray x, int axis, long start, long end) {
    return x.get(new NDIndex().addAllDim(axis).addSliceDim(start, end));
  }

  @Override
  public NDArray expandBatch(NDArray x, NDArray like) {
    long[] s = x.getShape().getShape().clone();
    s[0] = like.getShape().get(0);
    return x.broadcast(new Shape(s));
  }

  @Override
  public NDArray constant(NDArray like, long[] shape, float[] values) {
    return like.getManager().create(values, new Shape(shape)).toDevice(like.getDevice(), false);
  }

  @Override
  public NDArray positionIds(NDArray like, int axis, long offset, long limit) {
    long n = like.getShape().get(axis);
    if (offset + n > limit) {
      throw new IllegalArgumentException("sequence of " + n + " tokens" + (offset > 0 ? " (+" + offset + " prefix)" : "")
          + " exceeds the text tower's " + limit + " positions");
    }
    return like.getManager().arange(offset, offset + n, 1, DataType.INT64);
  }

  /** {@inheritDoc} On DJL: an additive mask [batch, 1, seq, past + seq], 0 where allowed, the float32 minimum elsewhere. */
  @Override
  public NDArray causalMask(NDArray mask, int past) {
    long[] s = mask.getShape().getShape();
    int batch = (int) s[0];
    int seq = (int) s[1];
    float[] causal = new float[seq * (past + seq)];
    for (int i = 0; i < seq; i++) {
      for (int j = past + i + 1; j < past + seq; j++) {
        causal[i * (past + seq) + j] = MASKED;
      }
    }
    NDManager m = mask.getManager();
    NDArray c = m.create(causal, new Shape(1, 1, seq, past + seq));
    NDArray keep = mask.toType(DataType.FLOAT32, false).reshape(batch, 1, 1, seq);
    NDArray pad = keep.sub(1f).mul(Float.MAX_VALUE); // 0 for real tokens, MASKED for padding
    if (past > 0) {
      pad = NDArrays.concat(new NDList(m.zeros(new Shape(batch, 1, 1, past)), pad), 3);
    }
    // minimum() rather than add(): two masked terms must not overflow to -inf
    return c.minimum(pad);
  }

  @Override
  public NDArray maskScores(NDArray scores, NDArray allowed) {
    return scores.add(allowed);
  }

  @Override
  public NDArray l2Normalize(NDArray x) {
    NDArray norm = x.square().sum(new int[] {-1}, true).sqrt().maximum(NdOps.scalar(x, 1e-12));
    return x.div(norm);
  }

  @Override
  public NDArray mean(NDArray x, int axis) {
    return x.mean(new int[] {axis});
  }

  @Override
  public NDArray lastPosition(NDArray mask) {
    return mask.toType(DataType.INT64, false).sum(new int[] {1}).sub(1);
  }

  /** {@inheritDoc} Eager: the positions are read back to refuse one outside the sequence by its row. */
  @Override
  public NDArray tokenAt(NDArray x, NDArray index) {
    long[] s = x.getShape().getShape();
    long[] positions = index.toLongArray();
    for (int i = 0; i < positions.length; i++) {
      if (positions[i] < 0 || positions[i] >= s[1]) {
        throw new IllegalArgumentException("text " + i + " of the batch has no tokens (empty text?)");
      }
    }
    NDArray gather = index.reshape(s[0], 1, 1).broadcast(new Shape(s[0], 1, s[2]));
    return x.gather(gather, 1).squeeze(1);
  }
}
