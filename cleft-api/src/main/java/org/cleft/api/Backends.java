package org.cleft.api;

import java.nio.file.Path;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.spi.AbstractCleftModel;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendResolver;

/**
 * Entry point for applications: load a checkpoint, or open the backend that the class path and settings select.
 *
 * <p>The backend is the one the application's dependencies bring ({@code cleft-onnx}, {@code cleft-djl}, {@code
 * cleft-tf}), found through {@link java.util.ServiceLoader}; with several, {@code -Dcleft.backend=NAME} or {@code
 * CLEFT_BACKEND=NAME} picks one, else the highest priority ({@link org.cleft.api.spi.BackendResolver}).
 */
public final class Backends {
  private Backends() {}

  /**
   * Loads a checkpoint on the inference backend the class path and settings select, with default options (CPU,
   * float32). The model owns that backend: closing the model closes it.
   *
   * @param checkpoint the checkpoint directory (for {@code cleft-onnx}, exported: it has an {@code onnx/} folder)
   * @return the model, which the caller closes
   * @throws CheckpointException when a file of the checkpoint is missing or malformed (the message names it)
   * @throws org.cleft.api.spi.NoSuitableBackendException when no backend on the class path can run inference
   * @throws org.cleft.api.checkpoint.InsufficientMemoryException when the weights cannot fit in the memory left
   */
  public static CleftModel load(Path checkpoint) throws CheckpointException {
    return load(checkpoint, null, BackendOptions.defaults());
  }

  /**
   * Loads a checkpoint on a named backend with options; the model owns the backend (closing the model closes it).
   *
   * @param checkpoint the checkpoint directory
   * @param name a provider name ({@code "onnx"}, {@code "djl"}, {@code "tf"}), or null to let settings and
   *     priority decide
   * @param options device, precision and extras
   * @return the model, which the caller closes
   * @throws CheckpointException when a file of the checkpoint is missing or malformed (the message names it)
   * @throws org.cleft.api.spi.NoSuitableBackendException when the named backend is not on the class path, or none
   *     can run inference
   * @throws IllegalArgumentException when the backend cannot use the options (a device it does not support)
   * @throws IllegalStateException when the engine cannot start on the options' device (no CUDA, for a GPU)
   */
  public static CleftModel load(Path checkpoint, String name, BackendOptions options) throws CheckpointException {
    Backend backend = open(Capability.INFERENCE, name, options);
    try {
      CleftModel model = backend.load(checkpoint);
      if (!(model instanceof AbstractCleftModel owned)) {
        model.close();
        throw new IllegalStateException(backend.name() + " backend's model (" + model.getClass().getName()
            + ") cannot own its backend; open the backend with Backends.open and load through it");
      }
      owned.closeAfter(backend);
      return model;
    } catch (CheckpointException | RuntimeException | Error e) {
      backend.close();
      throw e;
    }
  }

  /**
   * Opens the best backend with {@code capability} (honouring {@code -Dcleft.backend} and
   * {@code CLEFT_BACKEND}) with default options: CPU, float32.
   *
   * @param capability what the backend must be able to do
   * @return the backend, which the caller closes
   * @throws org.cleft.api.spi.NoSuitableBackendException when no backend on the class path has the capability
   */
  public static Backend open(Capability capability) {
    return open(capability, null, BackendOptions.defaults());
  }

  /**
   * Opens a backend.
   *
   * @param capability what it must do
   * @param name a provider name, or null to let settings and priority decide
   * @param options device, precision and extras
   * @return the backend, which the caller closes
   * @throws org.cleft.api.spi.NoSuitableBackendException when the named backend is not on the class path, or none
   *     has the capability
   * @throws IllegalArgumentException when the backend cannot use the options (a device it does not support)
   * @throws IllegalStateException when the engine cannot start on the options' device (no CUDA, for a GPU)
   */
  public static Backend open(Capability capability, String name, BackendOptions options) {
    return BackendResolver.fromServiceLoader().resolve(capability, name).create(options);
  }
}
