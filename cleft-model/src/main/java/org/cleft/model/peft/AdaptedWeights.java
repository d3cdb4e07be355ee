package org.cleft.model.peft;

import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.Linear;
import org.cleft.model.ValuesChange;
import org.cleft.model.Weights;

/** A tower's weights with a merged adapter's changes applied to the linear layers it wraps. */
final class AdaptedWeights<T> implements Weights<T> {
  private final Weights<T> base;
  private final Map<String, ValuesChange> weightChanges;
  private final Map<String, ValuesChange> biasChanges;

  AdaptedWeights(Weights<T> base, Map<String, ValuesChange> weightChanges, Map<String, ValuesChange> biasChanges) {
    this.base = base;
    this.weightChanges = Map.copyOf(weightChanges);
    this.biasChanges = Map.copyOf(biasChanges);
  }

  @Override
  public String origin() {
    return base.origin();
  }

  @Override
  public boolean contains(String name) {
    return base.contains(name);
  }

  @Override
  public long[] shape(String name) throws CheckpointException {
    return base.shape(name);
  }

  @Override
  public T tensor(String name, long[] shape, ValuesChange change) throws CheckpointException {
    return base.tensor(name, shape, change);
  }

  @Override
  public Linear<T> linear(Layer layer) throws CheckpointException {
    return base.linear(layer.changed(weightChanges.get(layer.prefix()), biasChanges.get(layer.prefix())));
  }
}
