package org.cleft.tf;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** CLEFT's losses as TensorFlow nodes. */
final class TfLosses {
  private TfLosses() {}

  /**
   * The symmetric contrastive loss of a square logit matrix: {@code CE(logits, arange) + CE(logits^T, arange)}, each
   * the mean over the batch.
   *
   * @param logits [n, n], matching pairs on the diagonal
   * @param n the batch size
   */
  static Operand<TFloat32> contrastive(Ops tf, Operand<?> logits, int n) {
    float[] eye = new float[n * n];
    for (int i = 0; i < n; i++) {
      eye[i * n + i] = 1f;
    }
    Operand<TFloat32> diagonal = tf.constant(Shape.of(n, n), DataBuffers.of(eye, true, false));
    Operand<TFloat32> l = TfOps.f(logits);
    Operand<TFloat32> rows = tf.math.mul(diagonal, tf.nn.logSoftmax(l));
    Operand<TFloat32> cols = tf.math.mul(diagonal, tf.nn.logSoftmax(tf.linalg.transpose(l, tf.constant(new int[] {1, 0}))));
    Operand<TFloat32> sum = tf.math.add(tf.reduceSum(rows, tf.constant(new int[] {0, 1})),
        tf.reduceSum(cols, tf.constant(new int[] {0, 1})));
    return tf.math.div(tf.math.neg(sum), tf.constant((float) n));
  }
}
