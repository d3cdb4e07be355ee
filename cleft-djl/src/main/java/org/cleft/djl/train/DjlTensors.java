package org.cleft.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.cleft.api.safetensors.Tensor;

/** What the DJL trainers hand to the engine-neutral training core: tensors and the engine's versions. */
final class DjlTensors {
  private DjlTensors() {}

  /** Float32 tensors of named parameters, renamed by {@code rename}. */
  static Map<String, Tensor> of(Map<String, NDArray> params, UnaryOperator<String> rename) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(rename.apply(k), Tensor.ofFloats(v.getShape().getShape(), v.toFloatArray())));
    return out;
  }

  /** The versions recorded in a checkpoint's provenance. */
  static Map<String, String> engineVersions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("djl_version", Engine.getDjlVersion());
    return v;
  }
}
