package org.cleft.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Collection;
import java.util.function.Supplier;
import org.cleft.api.train.TrainingEngine;
import org.cleft.djl.nn.NdOps;

/**
 * The training core's engine on DJL / libtorch: in-place updates on {@code NDArray}s, gradients through a
 * {@link GradientCollector}, an {@link NDScope} per step, torch's generator seeded per step.
 */
public final class DjlTrainingEngine implements TrainingEngine<NDArray> {
  /** The one instance: libtorch has one gradient collector and one generator per process. */
  public static final DjlTrainingEngine INSTANCE = new DjlTrainingEngine();

  private DjlTrainingEngine() {}

  @Override
  public NDArray gradient(NDArray parameter) {
    return parameter.hasGradient() ? parameter.getGradient() : null;
  }

  /** {@inheritDoc} Kept out of every scope: optimiser state lives as long as the model's manager. */
  @Override
  public NDArray zerosLike(NDArray like) {
    NDArray b = like.getManager().zeros(like.getShape(), like.getDataType(), like.getDevice());
    NDScope.unregister(b);
    return b;
  }

  @Override
  public NDArray valuesLike(float[] values, NDArray like) {
    NDArray b = like.getManager().create(values, new Shape(like.getShape().getShape())).toDevice(like.getDevice(),
        false);
    NDScope.unregister(b);
    return b;
  }

  @Override
  public float[] values(NDArray x) {
    return x.toFloatArray();
  }

  @Override
  public long[] shape(NDArray x) {
    return x.getShape().getShape();
  }

  @Override
  public void mul(NDArray x, double factor) {
    x.muli((float) factor);
  }

  @Override
  public void div(NDArray x, double divisor) {
    x.divi((float) divisor);
  }

  @Override
  public void add(NDArray x, double value) {
    x.addi((float) value);
  }

  @Override
  public void addScaled(NDArray x, NDArray y, double factor) {
    x.addi(factor == 1 ? y : y.mul((float) factor));
  }

  @Override
  public void addProduct(NDArray x, NDArray y, NDArray z, double factor) {
    x.addi(y.mul(z).muli((float) factor));
  }

  @Override
  public void subQuotient(NDArray x, NDArray y, NDArray z, double factor) {
    x.subi(y.div(z).muli((float) factor));
  }

  @Override
  public NDArray sqrt(NDArray x) {
    return x.sqrt();
  }

  @Override
  public NDArray plusScaled(NDArray x, NDArray y, double factor) {
    return x.add(y.mul((float) factor));
  }

  @Override
  public void zero(NDArray x) {
    // a fill, not x - x: that would keep NaN and turn infinities into NaN after a diverged step
    x.set(new NDIndex("..."), 0);
  }

  /** {@inheritDoc} Summed on the device and read once: one host synchronisation per step, not one per tensor. */
  @Override
  public double norm(Collection<NDArray> xs) {
    NDArray sum = null;
    for (NDArray x : xs) {
      NDArray sq = x.mul(x).sum();
      sum = sum == null ? sq : sum.add(sq);
    }
    return sum == null ? 0 : Math.sqrt(sum.getFloat());
  }

  @Override
  public boolean isFinite(NDArray x) {
    return Float.isFinite(x.abs().max().getFloat());
  }

  @Override
  public long size(NDArray x) {
    return x.size();
  }

  @Override
  public Scope scope() {
    NDScope scope = new NDScope();
    return scope::close;
  }

  @Override
  public void seed(long seed) {
    Engine.getEngine("PyTorch").setRandomSeed((int) seed);
  }

  @Override
  public double backward(Supplier<NDArray> loss, double factor) {
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray l = loss.get();
      double value = l.getFloat();
      gc.backward(factor == 1 ? l : NdOps.mul(l, factor));
      return value;
    }
  }

  @Override
  public void requireGradients(Collection<NDArray> parameters, boolean on) {
    parameters.forEach(p -> p.setRequiresGradient(on));
  }

  @Override
  public Object runLock() {
    return DjlTrainingEngine.class;
  }
}
