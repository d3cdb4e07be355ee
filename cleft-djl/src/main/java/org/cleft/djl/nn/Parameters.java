package org.cleft.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorInfo;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.model.Linear;
import org.cleft.model.ValuesChange;
import org.cleft.model.Weights;

/**
 * Named float32 parameters on one {@link NDManager}, loaded from safetensors under their
 * HuggingFace / peft names. Shape checks happen when a model asks for a tensor, with errors that
 * name the file, the tensor and both shapes.
 */
public final class Parameters implements Weights<NDArray> {
  private final String origin;
  private final Map<String, NDArray> arrays;

  private Parameters(String origin, Map<String, NDArray> arrays) {
    this.origin = origin;
    this.arrays = arrays;
  }

  /**
   * Loads every tensor of {@code source} accepted by {@code filter} as float32 (bf16/f16 converted in
   * Java: DJL must never see a bfloat16 array), stripping {@code prefix} from names that carry it.
   *
   * @param manager owns the loaded arrays
   * @param source the safetensors file or sharded set
   * @param filter which tensor names to load
   * @param prefix stripped from names that start with it (may be empty)
   * @return the parameters
   * @throws CheckpointException naming the file and tensor when one cannot be read or has an unsupported
   *     dtype
   */
  public static Parameters load(NDManager manager, TensorSource source, Predicate<String> filter, String prefix)
      throws CheckpointException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try {
      for (String name : source.names()) {
        if (!filter.test(name)) {
          continue;
        }
        TensorInfo info = source.info(name);
        if (!info.dtype().name().startsWith("F") && !info.dtype().name().equals("BF16")) {
          continue; // integer buffers (e.g. old GPT-2 'attn.bias' masks) are not parameters
        }
        String key = prefix != null && name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        NDArray a = manager.create(source.floats(name), new Shape(info.shape()));
        a.setName(key);
        out.put(key, a);
      }
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    return new Parameters(source.path().toString(), out);
  }

  /**
   * Wraps arrays already created (for example by a trainer).
   *
   * @param origin where the arrays came from, for messages
   * @param arrays parameter name to array
   * @return the parameters
   */
  public static Parameters of(String origin, Map<String, NDArray> arrays) {
    return new Parameters(origin, new LinkedHashMap<>(arrays));
  }

  /** {@return where these parameters came from (a file path), for messages} */
  @Override
  public String origin() {
    return origin;
  }

  /** {@return every parameter name} */
  public Set<String> names() {
    return Collections.unmodifiableSet(arrays.keySet());
  }

  /**
   * {@return whether a parameter is present}
   *
   * @param name the parameter name
   */
  @Override
  public boolean contains(String name) {
    return arrays.containsKey(name);
  }

  @Override
  public long[] shape(String name) throws CheckpointException {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new CheckpointException(origin + ": tensor '" + name + "' is missing");
    }
    return a.getShape().getShape();
  }

  /**
   * {@inheritDoc} A change creates a new array beside the loaded one (merged adapters, at load time); the loaded
   * one stays among {@link #asMap()}.
   */
  @Override
  public NDArray tensor(String name, long[] shape, ValuesChange change) throws CheckpointException {
    NDArray a = require(name, shape);
    if (change == null) {
      return a;
    }
    float[] values = a.toFloatArray();
    try {
      change.apply(values);
    } catch (IOException e) {
      throw new CheckpointException(origin + ": cannot change tensor '" + name + "': " + e.getMessage(), e);
    }
    NDArray changed = a.getManager().create(values, a.getShape());
    changed.setName(name);
    return changed;
  }

  /** {@inheritDoc} DJL keeps the stored layout: [out, in] for {@code nn.Linear}, [in, out] for {@code Conv1D}. */
  @Override
  public Linear<NDArray> linear(Layer layer) throws CheckpointException {
    String bias = layer.prefix() + ".bias";
    boolean hasBias = hasBias(layer);
    NDArray w = tensor(layer.prefix() + ".weight", layer.weightShape(), layer.weightChange());
    return new Linear<>(w, hasBias ? tensor(bias, new long[] {layer.out()}, layer.biasChange()) : null,
        layer.inputMajor());
  }

  /** {@return the parameters as an unmodifiable map, in load order} */
  public Map<String, NDArray> asMap() {
    return Collections.unmodifiableMap(arrays);
  }

  /**
   * {@return the parameter {@code name}, checked against {@code shape}}
   *
   * @param name the parameter name
   * @param shape the expected shape
   * @throws CheckpointException naming the file, the tensor and both shapes
   */
  public NDArray require(String name, long... shape) throws CheckpointException {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new CheckpointException(origin + ": tensor '" + name + "' is missing (expected shape "
          + Arrays.toString(shape) + ")");
    }
    if (!Arrays.equals(a.getShape().getShape(), shape)) {
      throw new CheckpointException(origin + ": tensor '" + name + "' has shape "
          + Arrays.toString(a.getShape().getShape()) + ", expected " + Arrays.toString(shape));
    }
    return a;
  }
}
