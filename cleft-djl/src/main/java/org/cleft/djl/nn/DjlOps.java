package org.cleft.djl.nn;

import ai.djl.ndarray.NDArray;
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
}
