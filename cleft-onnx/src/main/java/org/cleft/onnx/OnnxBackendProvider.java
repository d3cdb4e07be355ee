package org.cleft.onnx;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.cleft.api.Capability;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendProvider;

/**
 * The {@code onnx} backend: inference on ONNX Runtime from the graphs in a checkpoint's
 * {@code onnx/} folder. Priority 50, below DJL's 100, so that DJL is chosen when both are on the
 * class path and nothing names a backend. Loads nothing native until {@link #create} is called;
 * reports {@link Capability#GPU} when the CUDA execution provider library is on the class path
 * (the {@code onnxruntime_gpu} jar), judged by looking for the resource, not by loading it.
 */
public final class OnnxBackendProvider implements BackendProvider {
  /** The provider name. */
  public static final String NAME = "onnx";
  /** The provider priority: below DJL (100). */
  public static final int PRIORITY = 50;

  /** Creates the provider (cheap; no native code). */
  public OnnxBackendProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public Set<Capability> capabilities() {
    EnumSet<Capability> caps = EnumSet.of(Capability.INFERENCE);
    if (OnnxRuntimeLibrary.cudaProviderPresent()) {
      caps.add(Capability.GPU);
    }
    return caps;
  }

  @Override
  public Optional<String> unavailableReason() {
    if (!OnnxRuntimeLibrary.javaApiPresent()) {
      return Optional.of("the ONNX Runtime jar (com.microsoft.onnxruntime:onnxruntime or onnxruntime_gpu) is not "
          + "on the class path");
    }
    if (OnnxRuntimeLibrary.coreLibraryPresent()) {
      return Optional.empty();
    }
    return Optional.of("no ONNX Runtime native library for " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch") + " on the class path or in -D" + OnnxRuntimeLibrary.NATIVE_PATH_PROPERTY);
  }

  /**
   * Creates the backend: loads the ONNX Runtime natives and resolves the device.
   *
   * @throws IllegalArgumentException for a precision other than FP32 or a bad extra option
   * @throws IllegalStateException when CUDA was asked for and cannot be used (the message names what is missing)
   */
  @Override
  public Backend create(BackendOptions options) {
    return new OnnxBackend(options);
  }
}
