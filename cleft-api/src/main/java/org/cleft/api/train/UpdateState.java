package org.cleft.api.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.Tensor;

/** One kind of optimiser state ({@code exp_avg}, {@code momentum_buffer}): a buffer per parameter, saved by name. */
final class UpdateState<T> {
  private final String kind;
  private final TensorUpdates<T> updates;
  private final Map<String, T> buffers = new LinkedHashMap<>();

  UpdateState(String kind, TensorUpdates<T> updates) {
    this.kind = kind;
    this.updates = updates;
  }

  /** The buffer of a parameter, zeros the first time. */
  T get(String name, T parameter) {
    return buffers.computeIfAbsent(name, n -> updates.zerosLike(parameter));
  }

  boolean has(String name) {
    return buffers.containsKey(name);
  }

  void save(Map<String, Tensor> out) {
    buffers.forEach((k, v) -> out.put(kind + "." + k, Tensor.ofFloats(updates.shape(v), updates.values(v))));
  }

  void restore(Map<String, Tensor> saved, Map<String, T> parameters) {
    buffers.clear();
    String prefix = kind + ".";
    for (Map.Entry<String, Tensor> e : saved.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      String name = e.getKey().substring(prefix.length());
      T p = parameters.get(name);
      if (p == null) {
        throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' belongs to no trainable parameter");
      }
      if (updates.size(p) != e.getValue().numel()) {
        throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' has " + e.getValue().numel()
            + " values, parameter '" + name + "' has " + updates.size(p));
      }
      buffers.put(name, updates.valuesLike(e.getValue().toFloats(), p));
    }
  }

  void clear() {
    buffers.clear();
  }
}
