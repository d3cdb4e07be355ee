package org.cleft.djl.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.MemoryBudget;
import org.cleft.api.safetensors.DType;
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
   * Loads every tensor of {@code source} accepted by {@code filter} as float32, stripping {@code prefix} from names
   * that carry it. As {@link #load(NDManager, TensorSource, Predicate, String, DType)} with every tensor in float32.
   *
   * @param manager owns the loaded arrays
   * @param source the safetensors file or sharded set
   * @param filter which tensor names to load
   * @param prefix stripped from names that start with it (may be empty)
   * @return the parameters
   * @throws CheckpointException naming the file and tensor when one cannot be read or has an unsupported dtype
   */
  public static Parameters load(NDManager manager, TensorSource source, Predicate<String> filter, String prefix)
      throws CheckpointException {
    return load(manager, source, filter, prefix, DType.F32);
  }

  /**
   * Loads every tensor of {@code source} accepted by {@code filter}, stripping {@code prefix} from names that carry
   * it. Each tensor is read from the file straight into the memory of an engine array made for it (no Java array,
   * no Java direct buffer, no mapping kept), so loading needs no JVM memory setting at any model size. The matrices
   * ({@linkplain MemoryBudget#isMatrix two dimensions and at least 65,536 elements}: linear layers and embedding
   * tables) are stored as {@code matrices}; everything else (biases, norms, convolutions) as float32.
   * bf16 and f16 files convert on the way (DJL never sees a bfloat16 array: creating one aborts the JVM).
   *
   * @param manager owns the loaded arrays
   * @param source the safetensors file or sharded set
   * @param filter which tensor names to load
   * @param prefix stripped from names that start with it (may be empty)
   * @param matrices {@code F32}, or {@code F16} to keep the matrices in half precision (frozen weights)
   * @return the parameters
   * @throws CheckpointException naming the file and tensor when one cannot be read, has an unsupported dtype or
   *     holds values beyond float16's range
   */
  public static Parameters load(NDManager manager, TensorSource source, Predicate<String> filter, String prefix,
      DType matrices) throws CheckpointException {
    if (matrices != DType.F32 && matrices != DType.F16) {
      throw new IllegalArgumentException("djl keeps weights in F32 or F16, not " + matrices);
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    try {
      for (String name : source.names()) {
        if (!filter.test(name)) {
          continue;
        }
        TensorInfo info = source.info(name);
        if (!info.dtype().isFloatingPoint()) {
          continue; // integer buffers (e.g. old GPT-2 'attn.bias' masks) are not parameters
        }
        String key = prefix != null && name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        NDArray a = read(manager, source, info, MemoryBudget.isMatrix(info.shape()) ? matrices : DType.F32);
        a.setName(key);
        out.put(key, a);
      }
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    return new Parameters(source.path().toString(), out);
  }

  /** {@code a} (a new CPU array) with {@code info}'s values read into its native memory. */
  private static NDArray filled(NDArray a, TensorSource source, TensorInfo info, DType as) throws SafetensorsException {
    if (info.numel() > 0) {
      source.read(info.name(), as, 0, a.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
    }
    return a;
  }

  /** One tensor, read into a new engine array of type {@code as} on the manager's device. */
  private static NDArray read(NDManager manager, TensorSource source, TensorInfo info, DType as)
      throws SafetensorsException, CheckpointException {
    DataType type = as == DType.F16 ? DataType.FLOAT16 : DataType.FLOAT32;
    Shape shape = new Shape(info.shape());
    long bytes = info.numel() * as.byteSize();
    if (bytes > Integer.MAX_VALUE) {
      throw new CheckpointException(source.path() + ": tensor '" + info.name() + "' has " + bytes
          + " bytes as " + as.headerName() + ", over the 2 GiB a DJL array can be filled with at once");
    }
    if (manager.getDevice().getDeviceType().equals(Device.Type.CPU)) {
      return filled(manager.create(shape, type), source, info, as);
    }
    try (NDManager host = manager.newSubManager(Device.cpu())) {
      NDArray staged = filled(host.create(shape, type), source, info, as);
      NDArray a = staged.toDevice(manager.getDevice(), true);
      a.attach(manager);
      return a;
    }
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
    float[] values = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray()
        : a.toType(DataType.FLOAT32, false).toFloatArray();
    try {
      change.apply(values);
    } catch (IOException e) {
      throw new CheckpointException(origin + ": cannot change tensor '" + name + "': " + e.getMessage(), e);
    }
    NDArray changed;
    try (NDArray staged = a.getManager().create(values, a.getShape())) {
      // a copy in engine memory: an array made from Java values lives in a Java direct buffer until closed
      // (duplicate() copies; toType to the same type may return a view of the Java buffer)
      changed = a.getDataType() == DataType.FLOAT32 ? staged.duplicate() : staged.toType(a.getDataType(), false);
    }
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
