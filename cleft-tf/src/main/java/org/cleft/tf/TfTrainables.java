package org.cleft.tf;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.train.HostTensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A trainer's parameters on the host, each beside the TensorFlow tensor its placeholders are fed with: the optimiser
 * updates the host values, {@link #sync()} copies them into the tensors before the graphs run again.
 */
final class TfTrainables {
  private final Map<String, HostTensor> host = new LinkedHashMap<>();
  private final Map<String, TFloat32> fed = new LinkedHashMap<>();

  /** Adds a parameter, its values read from the tensor it is fed from. */
  void add(String name, TFloat32 tensor) {
    float[] v = new float[(int) tensor.size()];
    tensor.copyTo(DataBuffers.of(v, false, false));
    host.put(name, new HostTensor(name, tensor.shape().asArray(), v));
    fed.put(name, tensor);
  }

  Map<String, HostTensor> host() {
    return host;
  }

  /** Copies the host values into the fed tensors. */
  void sync() {
    host.forEach((k, v) -> fed.get(k).copyFrom(DataBuffers.of(v.values(), true, false)));
  }

  /** {@return the current values of the parameters whose name starts with {@code prefix}, renamed without it} */
  Map<String, Tensor> tensors(String prefix) throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    host.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), Tensor.ofFloats(v.shape(), v.values().clone()));
      }
    });
    return out;
  }

  long count() {
    return host.values().stream().mapToLong(h -> h.values().length).sum();
  }
}
