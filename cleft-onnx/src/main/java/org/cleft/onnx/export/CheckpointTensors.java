package org.cleft.onnx.export;

import java.nio.file.Path;
import java.util.Arrays;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.TensorInfo;
import org.cleft.api.safetensors.TensorSource;

/**
 * The tensors of one checkpoint part (a HF model folder, {@code heads.safetensors}, an adapter),
 * looked up by their HuggingFace names with a wrapper prefix ({@code dinov2.}, {@code transformer.})
 * accepted. Shapes are checked when a tensor is asked for; values are read when the model is written,
 * so the source stays open until then.
 */
final class CheckpointTensors implements AutoCloseable {
  private final TensorSource source;
  private final String prefix;

  private CheckpointTensors(TensorSource source, String prefix) {
    this.source = source;
    this.prefix = prefix;
  }

  /**
   * Opens a HF model folder ({@code model.safetensors} or shards); names may carry {@code wrapperPrefix}.
   *
   * @throws CheckpointException naming the folder when its weights cannot be opened
   */
  static CheckpointTensors model(Path dir, String wrapperPrefix) throws CheckpointException {
    TensorSource s = open(() -> Safetensors.openModel(dir));
    return new CheckpointTensors(s, wrapperPrefix);
  }

  /**
   * Opens one safetensors file.
   *
   * @throws CheckpointException naming the file when it cannot be opened
   */
  static CheckpointTensors file(Path file) throws CheckpointException {
    return new CheckpointTensors(open(() -> SafetensorsFile.open(file)), null);
  }

  private interface Opener {
    TensorSource open() throws SafetensorsException;
  }

  private static TensorSource open(Opener opener) throws CheckpointException {
    try {
      return opener.open();
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** The file read (the index json for shards), for messages. */
  Path path() {
    return source.path();
  }

  /** The underlying tensors (every name, metadata). */
  TensorSource source() {
    return source;
  }

  /** Whether tensor {@code name} exists (with or without the wrapper prefix). */
  boolean contains(String name) {
    return stored(name) != null;
  }

  /**
   * The shape of tensor {@code name}.
   *
   * @throws CheckpointException naming the file and tensor when it is missing
   */
  long[] shape(String name) throws CheckpointException {
    return info(name, null).shape();
  }

  /**
   * Tensor {@code name}, checked against {@code shape}; its values are read later, as float32.
   *
   * @throws CheckpointException naming the file, the tensor and both shapes when it is missing or misshapen
   */
  Param require(String name, long... shape) throws CheckpointException {
    TensorInfo info = info(name, shape);
    if (!Arrays.equals(info.shape(), shape)) {
      throw new CheckpointException(source.path() + ": tensor '" + name + "' has shape "
          + Arrays.toString(info.shape()) + ", expected " + Arrays.toString(shape));
    }
    if (!info.dtype().isFloatingPoint()) {
      throw new CheckpointException(source.path() + ": tensor '" + name + "' has dtype " + info.dtype()
          + ", expected a floating-point type");
    }
    String stored = info.name();
    return new Param(name, shape, () -> source.floats(stored));
  }

  private TensorInfo info(String name, long[] expected) throws CheckpointException {
    String stored = stored(name);
    if (stored == null) {
      throw new CheckpointException(source.path() + ": tensor '" + name + "' is missing"
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
    if (prefix != null && source.contains(prefix + name)) {
      return prefix + name;
    }
    return null;
  }

  @Override
  public void close() {
    source.close();
  }
}
