package org.cleft.djl;

import java.nio.file.Path;
import org.cleft.api.CleftModel;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.Precision;
import org.cleft.api.PromptLearner;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.DType;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.OwnedModels;
import org.cleft.djl.train.DjlContrastiveTrainer;
import org.cleft.djl.train.DjlPromptLearner;

/** The DJL backend: loads CLEFT checkpoints onto the PyTorch engine. Closing it closes every model it loaded. */
public final class DjlBackend implements Backend {
  private final BackendOptions options;
  private final OwnedModels<DjlCleftModel> models = new OwnedModels<>(DjlBackendProvider.NAME);

  /**
   * Creates the backend, applying the offline settings first.
   *
   * @param options device, precision and extras
   * @throws IllegalArgumentException for bf16, which DJL cannot run without aborting the JVM
   */
  public DjlBackend(BackendOptions options) {
    if (options.precision() == Precision.BF16) {
      throw new IllegalArgumentException("djl: precision BF16 is refused: creating a bfloat16 array aborts the JVM "
          + "in DJL 0.36; use FP32 (bf16 checkpoints are converted to float32 on load)");
    }
    if (options.precision() == Precision.FP16) {
      throw new IllegalArgumentException("djl: precision FP16 is not supported yet; use FP32");
    }
    frozenStorage(options);
    DjlEngine.configureOffline();
    this.options = options;
  }

  /**
   * {@return how DJL stores frozen matrices for {@code options}: float32, or float16 for {@link Precision#FP16}}
   *
   * @param options the backend options
   * @throws IllegalArgumentException for {@link Precision#BF16}, which DJL 0.36 cannot hold without aborting the JVM
   */
  static DType frozenStorage(BackendOptions options) {
    return switch (options.frozenWeights()) {
      case FP32 -> DType.F32;
      case FP16 -> DType.F16;
      case BF16 -> throw new IllegalArgumentException("djl: frozen weights in BF16 are refused: a bfloat16 array "
          + "aborts the JVM in DJL 0.36; use FP16 (bf16 checkpoints convert exactly to float32 and are rounded "
          + "to float16 on load)");
    };
  }

  @Override
  public String name() {
    return DjlBackendProvider.NAME;
  }

  @Override
  public CleftModel load(Path checkpoint) throws CheckpointException {
    return models.load(() -> DjlCleftModel.load(checkpoint, options));
  }

  @Override
  public ContrastiveTrainer contrastiveTrainer(Path checkpoint, TrainingConfig config, boolean resume)
      throws CheckpointException {
    models.checkOpen();
    return DjlContrastiveTrainer.create(checkpoint, config, resume, options);
  }

  @Override
  public PromptLearner promptLearner(Path checkpoint, TrainingConfig config, boolean resume)
      throws CheckpointException {
    models.checkOpen();
    return DjlPromptLearner.create(checkpoint, config, resume, options);
  }

  @Override
  public void close() {
    models.close();
  }
}
