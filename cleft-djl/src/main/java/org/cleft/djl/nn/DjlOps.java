package org.cleft.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.cleft.model.Linear;
import org.cleft.model.Ops;

/**
 * The model module's op set on DJL: eager {@code NDArray} operations, differentiable (autograd records them when a
 * gradient collector is open). Names are not used, so {@link #scope(String)} returns the same instance.
 */
public final class DjlOps implements Ops<NDArray> {
  /** The one instance. */
  public static final DjlOps INSTANCE = new DjlOps();

  private DjlOps() {}

  @Override
  public Ops<NDArray> scope(String name) {
    return this;
  }

  @Override
  public NDArray linear(NDArray x, Linear<NDArray> layer) {
    return NdOps.linear(x, layer.weight(), layer.bias());
  }

  @Override
  public NDArray l2Normalize(NDArray x) {
    return NdOps.l2Normalize(x);
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
