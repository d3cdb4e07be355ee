package org.cleft.tf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.DType;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorInfo;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.model.ValuesChange;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * One checkpoint part's tensors (a HF model folder, {@code heads.safetensors}, an adapter) as TensorFlow tensors, by
 * name with the part's wrapper prefix accepted, created once and owned here until {@link #close()}. Shapes are checked
 * when a tensor is asked for, with errors that name the file, the tensor and both shapes.
 */
final class TfTensors implements AutoCloseable {
  /** Bytes moved per step from the file into a tensor. */
  private static final int CHUNK_BYTES = 4 << 20;
  private final TensorSource source;
  private final String prefix;
  private final Map<String, TFloat32> tensors = new LinkedHashMap<>();
  private final Map<TFloat32, long[]> changed = new LinkedHashMap<>();
  private ByteBuffer chunk;

  TfTensors(TensorSource source, String prefix) {
    this.source = source;
    this.prefix = prefix;
  }

  String origin() {
    return source.path().toString();
  }

  TensorSource source() {
    return source;
  }

  boolean contains(String name) {
    return stored(name) != null;
  }

  long[] shape(String name) throws CheckpointException {
    return info(name, null).shape();
  }

  /** The tensor, checked against {@code shape}, its values changed first when {@code change} is given. */
  synchronized TFloat32 get(String name, long[] shape, ValuesChange change) throws CheckpointException {
    TensorInfo info = info(name, shape);
    if (!Arrays.equals(info.shape(), shape)) {
      throw new CheckpointException(origin() + ": tensor '" + name + "' has shape " + Arrays.toString(info.shape())
          + ", expected " + Arrays.toString(shape));
    }
    if (!info.dtype().isFloatingPoint()) {
      throw new CheckpointException(origin() + ": tensor '" + name + "' has dtype " + info.dtype()
          + ", expected a floating-point type");
    }
    TFloat32 t = change == null ? tensors.get(name) : null;
    if (t != null) {
      return t;
    }
    try {
      if (change == null) {
        t = read(info);
      } else {
        float[] values = source.floats(info.name());
        change.apply(values);
        t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
      }
    } catch (IOException e) {
      throw new CheckpointException(origin() + ": cannot read tensor '" + name + "': " + e.getMessage(), e);
    }
    if (change == null) {
      tensors.put(name, t);
    } else {
      changed.put(t, shape);
    }
    return t;
  }

  /**
   * A new tensor holding {@code info}'s values in float32, read from the file straight into TensorFlow's memory in
   * chunks of {@value #CHUNK_BYTES} bytes (no array of the whole tensor, no Java direct buffer).
   */
  private TFloat32 read(TensorInfo info) throws SafetensorsException {
    TFloat32 t = TFloat32.tensorOf(Shape.of(info.shape()));
    try {
      ByteDataBuffer data = t.asRawTensor().data();
      if (chunk == null) {
        chunk = ByteBuffer.allocate(CHUNK_BYTES); // kept: one buffer for every tensor, no garbage per tensor
      }
      long count = info.numel();
      int step = CHUNK_BYTES / Float.BYTES;
      for (long done = 0; done < count; done += step) {
        int n = (int) Math.min(step, count - done);
        chunk.clear().limit(n * Float.BYTES);
        source.read(info.name(), DType.F32, done, chunk);
        data.offset(done * Float.BYTES).write(chunk.array(), 0, n * Float.BYTES);
      }
      return t;
    } catch (SafetensorsException | RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private TensorInfo info(String name, long[] expected) throws CheckpointException {
    String stored = stored(name);
    if (stored == null) {
      throw new CheckpointException(origin() + ": tensor '" + name + "' is missing"
          + (expected == null ? "" : " (expected shape " + Arrays.toString(expected) + ")"));
    }
    try {
      return source.info(stored);
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  private String stored(String name) {
    if (source.contains(name)) {
      return name;
    }
    return prefix != null && source.contains(prefix + name) ? prefix + name : null;
  }

  /**
   * {@return every tensor of the file that {@code isWeight} keeps, by name without the wrapper prefix, as it is now:
   * the value in {@code current} when it has one (a trained parameter), else the file's}
   *
   * @throws IOException when the file cannot be read
   */
  Map<String, org.cleft.api.safetensors.Tensor> snapshot(java.util.function.Predicate<String> isWeight,
      Map<String, org.cleft.api.safetensors.Tensor> current) throws IOException {
    Map<String, org.cleft.api.safetensors.Tensor> out = new LinkedHashMap<>();
    for (String stored : source.names()) {
      String name = prefix != null && stored.startsWith(prefix) ? stored.substring(prefix.length()) : stored;
      if (!isWeight.test(name) || !source.info(stored).dtype().isFloatingPoint()) {
        continue;
      }
      org.cleft.api.safetensors.Tensor t = current.get(name);
      out.put(name, t != null ? t : org.cleft.api.safetensors.Tensor.ofFloats(source.info(stored).shape(),
          source.floats(stored)));
    }
    return out;
  }

  /** {@return the number of values of the tensors {@code isWeight} keeps (the model's size, for reports)} */
  long values(java.util.function.Predicate<String> isWeight) throws SafetensorsException {
    long n = 0;
    for (String stored : source.names()) {
      String name = prefix != null && stored.startsWith(prefix) ? stored.substring(prefix.length()) : stored;
      if (isWeight.test(name) && source.info(stored).dtype().isFloatingPoint()) {
        n += Arrays.stream(source.info(stored).shape()).reduce(1, Math::multiplyExact);
      }
    }
    return n;
  }

  /** {@return the tensors held} */
  synchronized int count() {
    return tensors.size() + changed.size();
  }

  /** Closes the file (the tensors stay, owned here). */
  void closeSource() {
    source.close();
  }

  @Override
  public synchronized void close() {
    tensors.values().forEach(TFloat32::close);
    tensors.clear();
    changed.keySet().forEach(TFloat32::close);
    changed.clear();
    source.close();
  }
}
