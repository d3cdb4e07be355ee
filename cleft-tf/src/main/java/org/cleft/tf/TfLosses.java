package org.cleft.tf;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** CLEFT's losses as TensorFlow nodes. */
final class TfLosses {
  private TfLosses() {}

  /**
   * The symmetric contrastive loss of a square logit matrix: {@code CE(logits, arange) + CE(logits^T, arange)}, each
   * the mean over the batch, for any batch size.
   *
   * @param logits [n, n], matching pairs on the diagonal
   */
  static Operand<TFloat32> contrastive(Ops tf, Operand<?> logits) {
    Operand<TFloat32> l = TfOps.f(logits);
    Operand<TInt32> n = tf.squeeze(tf.stridedSlice(tf.shape(l), Indices.slice(0, 1)));
    Operand<TFloat32> diagonal = tf.oneHot(tf.range(tf.constant(0), n, tf.constant(1)), n, tf.constant(1f),
        tf.constant(0f));
    Operand<TFloat32> rows = tf.math.mul(diagonal, tf.nn.logSoftmax(l));
    Operand<TFloat32> cols = tf.math.mul(diagonal,
        tf.nn.logSoftmax(tf.linalg.transpose(l, tf.constant(new int[] {1, 0}))));
    Operand<TFloat32> sum = tf.math.add(tf.reduceSum(rows, tf.constant(new int[] {0, 1})),
        tf.reduceSum(cols, tf.constant(new int[] {0, 1})));
    return tf.math.div(tf.math.neg(sum), tf.dtypes.cast(n, TFloat32.class));
  }
}
