package org.cleft.onnx;

import java.nio.file.Path;
import org.cleft.api.Device;
import org.cleft.api.Precision;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.OwnedModels;

/**
 * The ONNX Runtime backend: loads checkpoints that carry exported ONNX graphs. Creating it loads the
 * ONNX Runtime natives and resolves the device once ({@code auto} falls back to the CPU with one
 * warning). Closing it closes every model it loaded; the process-wide ONNX Runtime environment stays
 * open, since ONNX Runtime allows only one per process.
 *
 * <p>Extra options ({@link BackendOptions#extra()}): {@value #INTRA_OP_THREADS}, the threads one operator may
 * use in each session (0, the default, lets ONNX Runtime choose); {@value #LOG_LEVEL}, ONNX Runtime's own
 * session log level ({@code verbose}, {@code info}, {@code warning}, {@code error}, default {@code fatal},
 * since every failure already reaches the caller as an exception carrying ONNX Runtime's message).
 * Unknown {@code onnx.*} keys are refused.
 */
public final class OnnxBackend implements Backend {
  /** {@link BackendOptions#extra()} key for the intra-op thread count of each session. */
  public static final String INTRA_OP_THREADS = OnnxOptions.INTRA_OP_THREADS;
  /** {@link BackendOptions#extra()} key for ONNX Runtime's own session log level. */
  public static final String LOG_LEVEL = OnnxOptions.LOG_LEVEL;
  private final OnnxSessions sessions;
  private final OwnedModels<OnnxCleftModel> models = new OwnedModels<>(OnnxBackendProvider.NAME);

  /**
   * Creates the backend.
   *
   * @param options device, precision (FP32 only) and {@code onnx.*} extras
   * @throws IllegalArgumentException for a precision other than FP32 or an unknown or bad {@code onnx.*} extra option
   * @throws IllegalStateException when an explicit CUDA device cannot be used (the message names what is missing)
   */
  public OnnxBackend(BackendOptions options) {
    if (options.precision() != Precision.FP32) {
      throw new IllegalArgumentException("onnx: precision " + options.precision() + " is not supported; the "
          + "exported graphs are float32, so use FP32 (export a converted graph to run at lower precision)");
    }
    if (options.frozenWeights() != Precision.FP32) {
      throw new IllegalArgumentException("onnx: frozen weights in " + options.frozenWeights() + " are not supported; "
          + "the weights are those of the exported graph (docs/backends.md#precision)");
    }
    this.sessions = OnnxSessions.create(options);
  }

  @Override
  public String name() {
    return OnnxBackendProvider.NAME;
  }

  /**
   * The device sessions run on.
   *
   * @return the CPU or one CUDA device ({@code auto} resolved)
   */
  public Device device() {
    return sessions.device();
  }

  /**
   * Loads a checkpoint whose {@code onnx/} folder holds {@code image_encoder.onnx} and {@code text_encoder.onnx}.
   *
   * @throws CheckpointException naming the missing or malformed file, graph input or tensor
   */
  @Override
  public OnnxCleftModel load(Path checkpoint) throws CheckpointException {
    return models.load(() -> OnnxCleftModel.load(checkpoint, sessions));
  }

  /** Closes every model this backend loaded; idempotent. */
  @Override
  public void close() {
    models.close();
  }
}
