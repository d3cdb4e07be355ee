package org.cleft.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.Precision;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendProvider;
import org.cleft.api.spi.BackendResolver;
import org.cleft.api.spi.NoSuitableBackendException;

/**
 * A backend and a checkpoint loaded on it, for the commands that run a model ({@code eval},
 * {@code embed}). Closing it closes the backend, which closes the model.
 */
final class ModelSession implements AutoCloseable {
  private final Backend backend;
  private final CleftModel model;

  private ModelSession(Backend backend, CleftModel model) {
    this.backend = backend;
    this.model = model;
  }

  /**
   * Resolves {@code backendName} through {@link BackendResolver} (with the INFERENCE capability) and
   * loads the checkpoint.
   *
   * @throws CliFailure when the backend is unknown or unavailable (listing the ones found)
   * @throws CheckpointException when the checkpoint is missing or malformed
   */
  static ModelSession open(Path checkpoint, String backendName) throws CheckpointException {
    return open(checkpoint, backendName, Precision.FP32);
  }

  /**
   * As {@link #open(Path, String)}, with the frozen weights (every tower's, for inference) stored at {@code frozen}.
   *
   * @throws CliFailure when the backend is unknown, unavailable or cannot hold weights at {@code frozen}
   * @throws CheckpointException when the checkpoint is missing or malformed
   */
  static ModelSession open(Path checkpoint, String backendName, Precision frozen) throws CheckpointException {
    if (!Files.isDirectory(checkpoint)) {
      throw new CliFailure(checkpoint + ": checkpoint directory not found",
          "pass --model a checkpoint folder (text/, vision/, heads.safetensors); see docs/checkpoint-format.md");
    }
    CleftCheckpoint.open(checkpoint); // a malformed checkpoint is refused before an engine starts
    Backend backend;
    try {
      backend = Backends.open(Capability.INFERENCE, backendName, BackendOptions.defaults().withFrozenWeights(frozen));
    } catch (IllegalArgumentException e) {
      throw new CliFailure(e.getMessage(), "choose another --frozen-dtype (fp32 works everywhere)", e);
    } catch (NoSuitableBackendException e) {
      List<String> found = BackendResolver.fromServiceLoader().providers().stream().map(BackendProvider::name).toList();
      throw new CliFailure("backend '" + backendName + "' cannot run inference: " + e.rejections(),
          "choose --backend from the backends on the class path: " + String.join(", ", found), e);
    }
    try {
      return new ModelSession(backend, backend.load(checkpoint));
    } catch (CheckpointException | RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /** The loaded model, owned by the session. */
  CleftModel model() {
    return model;
  }

  /** The backend's name. */
  String backendName() {
    return backend.name();
  }

  /** The image size the checkpoint's vision tower expects (cleft.json, else the tower's config). */
  int imageSize() {
    return model.imageSize();
  }

  @Override
  public void close() {
    backend.close();
  }
}
