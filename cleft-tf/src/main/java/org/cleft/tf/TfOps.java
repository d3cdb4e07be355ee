package org.cleft.tf;

import java.util.ArrayList;
import java.util.List;
import org.cleft.model.Linear;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Index;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * The model module's op set on TensorFlow Java in graph mode: each op adds nodes to a {@code Graph} through TF Java's
 * {@link Ops}, named under the current scope ({@code withSubScope}); sizes known only at run time are read with
 * {@code Shape}. Gradients come from {@code Graph.addGradients} over these nodes. {@link #training} adds dropout.
 */
final class TfOps implements org.cleft.model.Ops<Operand<?>> {
  /** HF's value for disallowed attention positions ({@code torch.finfo(float32).min}). */
  private static final float MASKED = -Float.MAX_VALUE;

  private final Ops tf;
  private final Operand<TInt64> seed;
  private final int[] sites;

  private TfOps(Ops tf, Operand<TInt64> seed, int[] sites) {
    this.tf = tf;
    this.seed = seed;
    this.sites = sites;
  }

  /** {@return ops without dropout (inference, frozen towers)} */
  static TfOps inference(Ops tf) {
    return new TfOps(tf, null, null);
  }

  /**
   * {@return ops with dropout whose masks come from TF's stateless generator keyed by {@code seed} (int64 [2], fed
   * per run) and the dropout site, so that a run fed the same seed draws the same masks (exact resume)}
   *
   * @param tf the graph's ops
   * @param seed a placeholder of shape [2]
   */
  static TfOps training(Ops tf, Operand<TInt64> seed) {
    return new TfOps(tf, seed, new int[1]);
  }

  /** The TF ops these write with. */
  Ops tf() {
    return tf;
  }

  @SuppressWarnings("unchecked")
  static Operand<TFloat32> f(Operand<?> x) {
    return (Operand<TFloat32>) x;
  }

  @SuppressWarnings("unchecked")
  private static <T extends TType> Operand<T> same(Operand<?> x) {
    return (Operand<T>) x;
  }

  @Override
  public org.cleft.model.Ops<Operand<?>> scope(String name) {
    return new TfOps(tf.withSubScope(name), seed, sites);
  }

  @Override
  public Operand<?> add(Operand<?> a, Operand<?> b) {
    return tf.math.add(f(a), f(b));
  }

  @Override
  public Operand<?> mul(Operand<?> a, Operand<?> b) {
    return tf.math.mul(f(a), f(b));
  }

  @Override
  public Operand<?> scale(Operand<?> x, double factor) {
    return tf.math.mul(f(x), tf.constant((float) factor));
  }

  @Override
  public Operand<?> offset(Operand<?> x, double value) {
    return tf.math.add(f(x), tf.constant((float) value));
  }

  @Override
  public Operand<?> matmul(Operand<?> a, Operand<?> b) {
    return tf.train.batchMatMul(a, b, TFloat32.class);
  }

  @Override
  public Operand<?> exp(Operand<?> x) {
    return tf.math.exp(f(x));
  }

  /**
   * {@inheritDoc} One {@code MatMul} over every row ([..., in] flattened to [rows, in]; [out, in] weights transposed
   * by the op), which TF runs as a single GEMM, where a broadcast {@code BatchMatMul} runs one per batch entry.
   */
  @Override
  public Operand<?> linear(Operand<?> x, Linear<Operand<?>> layer) {
    Shape w = layer.weight().shape();
    int in = (int) (layer.inputMajor() ? w.get(0) : w.get(1));
    int out = (int) (layer.inputMajor() ? w.get(1) : w.get(0));
    int rank = x.shape().numDimensions();
    if (rank < 2 || in <= 0 || out <= 0) {
      Operand<TFloat32> y = tf.train.batchMatMul(x, layer.weight(), TFloat32.class,
          BatchMatMul.adjY(!layer.inputMajor()));
      return layer.bias() == null ? y : tf.math.add(y, f(layer.bias()));
    }
    Operand<TInt32> lead = tf.stridedSlice(tf.shape(x), Indices.slice(0, rank - 1));
    Operand<TFloat32> rows = tf.reshape(f(x), tf.constant(new int[] {-1, in}));
    Operand<TFloat32> y = tf.linalg.matMul(rows, f(layer.weight()), MatMul.transposeB(!layer.inputMajor()));
    if (layer.bias() != null) {
      y = tf.math.add(y, f(layer.bias()));
    }
    return tf.reshape(y, tf.concat(List.of(lead, tf.constant(new int[] {out})), tf.constant(0)));
  }

  /** {@inheritDoc} Written out (TF core has no layer norm op): biased variance over the last axis, as PyTorch. */
  @Override
  public Operand<?> layerNorm(Operand<?> x, Operand<?> gamma, Operand<?> beta, double eps) {
    Operand<TInt32> last = tf.constant(new int[] {-1});
    Operand<TFloat32> mean = tf.math.mean(f(x), last, Mean.keepDims(true));
    Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(f(x), mean), last, Mean.keepDims(true));
    Operand<TFloat32> normed = tf.math.mul(tf.math.sub(f(x), mean),
        tf.math.rsqrt(tf.math.add(var, tf.constant((float) eps))));
    return tf.math.add(tf.math.mul(normed, f(gamma)), f(beta));
  }

  @Override
  public Operand<?> rmsNorm(Operand<?> x, Operand<?> weight, double eps) {
    Operand<TFloat32> meanSquare = tf.math.mean(tf.math.square(f(x)), tf.constant(new int[] {-1}),
        Mean.keepDims(true));
    Operand<TFloat32> normed = tf.math.mul(f(x), tf.math.rsqrt(tf.math.add(meanSquare, tf.constant((float) eps))));
    return tf.math.mul(f(weight), normed);
  }

  @Override
  public Operand<?> softmax(Operand<?> x) {
    return tf.nn.softmax(f(x));
  }

  @Override
  public Operand<?> gelu(Operand<?> x) {
    Operand<TFloat32> erf = tf.math.erf(tf.math.div(f(x), tf.constant((float) Math.sqrt(2.0))));
    return tf.math.mul(tf.math.mul(f(x), tf.constant(0.5f)), tf.math.add(erf, tf.constant(1f)));
  }

  @Override
  public Operand<?> tanh(Operand<?> x) {
    return tf.math.tanh(f(x));
  }

  @Override
  public Operand<?> sigmoid(Operand<?> x) {
    return tf.math.sigmoid(f(x));
  }

  @Override
  public Operand<?> relu(Operand<?> x) {
    return tf.nn.relu(f(x));
  }

  /**
   * {@inheritDoc} Inverted dropout: kept values are scaled by {@code 1 / (1 - p)}; the uniform draws come from
   * {@code StatelessRandomUniform} keyed by the run's seed plus the site's number.
   */
  @Override
  public Operand<?> dropout(Operand<?> x, double p) {
    if (seed == null || p <= 0) {
      return x;
    }
    int site = ++sites[0];
    Operand<TInt64> key = tf.math.add(seed, tf.constant(new long[] {0, site}));
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), key, TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) p)), TFloat32.class);
    return tf.math.mul(tf.math.mul(f(x), keep), tf.constant((float) (1 / (1 - p))));
  }

  /** {@inheritDoc} TF's CPU convolution takes NHWC and HWIO: transposed in and out. */
  @Override
  public Operand<?> patchConv(Operand<?> pixels, Operand<?> weight, Operand<?> bias, int patch) {
    Operand<TFloat32> nhwc = tf.linalg.transpose(f(pixels), tf.constant(new int[] {0, 2, 3, 1}));
    Operand<TFloat32> hwio = tf.linalg.transpose(f(weight), tf.constant(new int[] {2, 3, 1, 0}));
    Operand<TFloat32> y = tf.nn.conv2d(nhwc, hwio, List.of(1L, (long) patch, (long) patch, 1L), "VALID",
        Conv2d.dataFormat("NHWC"));
    return tf.linalg.transpose(tf.math.add(y, f(bias)), tf.constant(new int[] {0, 3, 1, 2}));
  }

  @Override
  public Operand<?> embedding(Operand<?> table, Operand<?> ids) {
    return tf.gather(f(table), numeric(ids), tf.constant(0));
  }

  @Override
  public Operand<?> reshape(Operand<?> x, long... shape) {
    boolean dynamic = false;
    for (long d : shape) {
      dynamic |= d == 0;
    }
    if (!dynamic) {
      return tf.reshape(same(x), tf.constant(shape));
    }
    // int32 shapes throughout: TF's gradient of broadcasting ops pairs them with int32 shapes of the inputs
    Operand<TInt32> actual = tf.shape(x);
    List<Operand<TInt32>> dims = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      dims.add(shape[i] == 0 ? tf.stridedSlice(actual, Indices.slice(i, i + 1))
          : tf.constant(new int[] {Math.toIntExact(shape[i])}));
    }
    return tf.reshape(same(x), tf.concat(dims, tf.constant(0)));
  }

  @Override
  public Operand<?> transpose(Operand<?> x, int... perm) {
    return tf.linalg.transpose(same(x), tf.constant(perm));
  }

  @Override
  public List<Operand<?>> split(Operand<?> x, int parts) {
    return new ArrayList<>(tf.split(tf.constant(-1), f(x), (long) parts).output());
  }

  @Override
  public Operand<?> concat(int axis, List<Operand<?>> parts) {
    List<Operand<TFloat32>> typed = new ArrayList<>();
    parts.forEach(p -> typed.add(f(p)));
    return tf.concat(typed, tf.constant(axis));
  }

  @Override
  public Operand<?> slice(Operand<?> x, int axis, long start, long end) {
    Index[] idx = new Index[axis + 1];
    for (int i = 0; i < axis; i++) {
      idx[i] = Indices.all();
    }
    idx[axis] = Indices.slice(start, end);
    return tf.stridedSlice(same(x), idx);
  }

  @Override
  public Operand<?> expandBatch(Operand<?> x, Operand<?> like) {
    Operand<TInt32> batch = tf.stridedSlice(tf.shape(like), Indices.slice(0, 1));
    Operand<TInt32> rest = tf.stridedSlice(tf.shape(x), Indices.sliceFrom(1));
    return tf.broadcastTo(same(x), tf.concat(List.of(batch, rest), tf.constant(0)));
  }

  @Override
  public Operand<?> constant(Operand<?> like, long[] shape, float[] values) {
    return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** {@inheritDoc} {@code Range(offset, offset + n)}, {@code n} read from {@code like}; the limit is the caller's. */
  @Override
  public Operand<?> positionIds(Operand<?> like, int axis, long offset, long limit) {
    Operand<TInt64> n = count(like, axis);
    Operand<TInt64> first = tf.constant(offset);
    return tf.range(first, tf.math.add(n, first), tf.constant(1L));
  }

  private Operand<TInt64> count(Operand<?> x, int axis) {
    return tf.squeeze(tf.stridedSlice(tf.shape(x, TInt64.class), Indices.slice(axis, axis + 1)));
  }

  /** {@inheritDoc} Booleans [batch, 1, seq, past + seq]: key j is allowed for query i when j <= past + i and real. */
  @Override
  public Operand<?> causalMask(Operand<?> mask, int past) {
    Operand<TInt64> seq = count(mask, 1);
    Operand<TInt64> rows = tf.range(tf.constant(0L), seq, tf.constant(1L));
    Operand<TInt64> cols = tf.range(tf.constant(0L), tf.math.add(seq, tf.constant((long) past)), tf.constant(1L));
    Operand<TBool> causal = tf.math.lessEqual(tf.expandDims(cols, tf.constant(0)),
        tf.expandDims(tf.math.add(rows, tf.constant((long) past)), tf.constant(1)));
    Operand<TInt64> keys = tf.dtypes.cast(mask, TInt64.class);
    if (past > 0) {
      Operand<TInt64> batch = tf.stridedSlice(tf.shape(mask, TInt64.class), Indices.slice(0, 1));
      Operand<TInt64> ones = tf.fill(tf.concat(List.of(batch, tf.constant(new long[] {past})), tf.constant(0)),
          tf.constant(1L));
      keys = tf.concat(List.of(ones, keys), tf.constant(1));
    }
    Operand<TBool> real = tf.math.notEqual(keys, tf.constant(0L));
    Operand<TBool> real4 = tf.expandDims(tf.expandDims(real, tf.constant(1)), tf.constant(1));
    return tf.math.logicalAnd(causal, real4);
  }

  @SuppressWarnings("unchecked")
  @Override
  public Operand<?> maskScores(Operand<?> scores, Operand<?> allowed) {
    return tf.select((Operand<TBool>) allowed, f(scores), tf.constant(MASKED));
  }

  @Override
  public Operand<?> l2Normalize(Operand<?> x) {
    Operand<TFloat32> norm = tf.math.sqrt(tf.reduceSum(tf.math.square(f(x)), tf.constant(new int[] {-1}),
        ReduceSum.keepDims(true)));
    return tf.math.div(f(x), tf.math.maximum(norm, tf.constant(1e-12f)));
  }

  @Override
  public Operand<?> mean(Operand<?> x, int axis) {
    return tf.math.mean(f(x), tf.constant(new int[] {axis}));
  }

  @Override
  public Operand<?> lastPosition(Operand<?> mask) {
    Operand<TInt64> lengths = tf.reduceSum(tf.dtypes.cast(mask, TInt64.class), tf.constant(new int[] {1}));
    return tf.math.sub(lengths, tf.constant(1L));
  }

  /** {@inheritDoc} {@code Gather} with one batch dimension; positions are the caller's to check. */
  @Override
  public Operand<?> tokenAt(Operand<?> x, Operand<?> index) {
    return tf.gather(f(x), numeric(index), tf.constant(1), Gather.batchDims(1L));
  }

  @SuppressWarnings("unchecked")
  private static Operand<? extends TNumber> numeric(Operand<?> x) {
    return (Operand<? extends TNumber>) x;
  }
}
