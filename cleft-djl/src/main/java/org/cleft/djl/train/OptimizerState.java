package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.Tensor;

/** Per-parameter optimiser buffers living beside their parameters, outside any step scope. */
final class OptimizerState {
  private final String kind;
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();

  OptimizerState(String kind) {
    this.kind = kind;
  }

  /** The buffer of {@code name}, created as zeros beside {@code param} on first use. */
  NDArray get(String name, NDArray param) {
    NDArray b = buffers.get(name);
    if (b == null) {
      b = param.getManager().zeros(param.getShape(), param.getDataType(), param.getDevice());
      NDScope.unregister(b);
      buffers.put(name, b);
    }
    return b;
  }

  boolean has(String name) {
    return buffers.containsKey(name);
  }

  void save(Map<String, Tensor> out) {
    buffers.forEach((k, v) -> out.put(kind + "." + k, Tensor.ofFloats(v.getShape().getShape(), v.toFloatArray())));
  }

  void restore(Map<String, Tensor> saved, Map<String, NDArray> params) {
    buffers.values().forEach(NDArray::close);
    buffers.clear();
    String prefix = kind + ".";
    for (Map.Entry<String, Tensor> e : saved.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      String name = e.getKey().substring(prefix.length());
      NDArray p = params.get(name);
      if (p == null) {
        throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' belongs to no trainable parameter");
      }
      if (p.size() != e.getValue().numel()) {
        throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' has " + e.getValue().numel()
            + " values, parameter '" + name + "' has " + p.size());
      }
      NDArray b = p.getManager().create(e.getValue().toFloats(), new Shape(p.getShape().getShape())).toDevice(p.getDevice(), false);
      NDScope.unregister(b);
      buffers.put(name, b);
    }
  }

  void close() {
    buffers.values().forEach(NDArray::close);
    buffers.clear();
  }
}
