package org.cleft.tf;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.CleftHome;
import org.cleft.api.CleftModel;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.Device;
import org.cleft.api.Precision;
import org.cleft.api.PromptLearner;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.OwnedModels;
import org.tensorflow.TensorFlow;

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
    if (options.frozenWeights() != Precision.FP32) {
      throw new IllegalArgumentException("tf: frozen weights in " + options.frozenWeights() + " are not supported "
          + "yet; use FP32 here, or the djl backend with FP16 (docs/backends.md#precision)");
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
  public ContrastiveTrainer contrastiveTrainer(Path checkpoint, TrainingConfig config, boolean resume)
      throws CheckpointException {
    models.checkOpen();
    return TfContrastiveTrainer.create(checkpoint, config, resume);
  }

  @Override
  public PromptLearner promptLearner(Path checkpoint, TrainingConfig config, boolean resume)
      throws CheckpointException {
    models.checkOpen();
    return TfPromptLearner.create(checkpoint, config, resume);
  }

  /** {@return the versions a checkpoint's provenance records: TensorFlow's and TensorFlow Java's} */
  static Map<String, String> engineVersions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("tensorflow_version", TensorFlow.version());
    Package p = TensorFlow.class.getPackage();
    v.put("tensorflow_java_version", p == null || p.getImplementationVersion() == null ? "1.1.0"
        : p.getImplementationVersion());
    return v;
  }

  @Override
  public void close() {
    models.close();
  }
}
