package org.cleft.tf;

import java.nio.file.Path;
import org.cleft.api.CleftHome;
import org.cleft.api.CleftModel;
import org.cleft.api.Device;
import org.cleft.api.Precision;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.OwnedModels;

/** The TensorFlow Java backend: loads CLEFT checkpoints into TensorFlow graphs. Closing it closes every model. */
public final class TfBackend implements Backend {
  private final BackendOptions options;
  private final OwnedModels<TfCleftModel> models = new OwnedModels<>(TfBackendProvider.NAME);

  /**
   * Creates the backend, with the engines' cache and offline settings applied first.
   *
   * @param options device (CPU; CUDA with the GPU build) and precision (FP32)
   * @throws IllegalArgumentException for a precision other than FP32
   */
  public TfBackend(BackendOptions options) {
    if (options.precision() != Precision.FP32) {
      throw new IllegalArgumentException("tf: precision " + options.precision() + " is not supported yet; use FP32");
    }
    if (options.device().kind() == Device.Kind.CUDA && !TfNatives.gpuBuildPresent()) {
      throw new IllegalStateException("tf: device " + options.device() + " needs TensorFlow's GPU build "
          + "(org.tensorflow:tensorflow-core-native, classifier linux-x86_64-gpu) on the class path; see docs/gpu.md");
    }
    CleftHome.configureEngines();
    this.options = options;
  }

  @Override
  public String name() {
    return TfBackendProvider.NAME;
  }

  /** {@return the device the graphs run on} */
  public Device device() {
    return options.device();
  }

  @Override
  public CleftModel load(Path checkpoint) throws CheckpointException {
    return models.load(() -> TfCleftModel.load(checkpoint));
  }

  @Override
  public void close() {
    models.close();
  }
}
