package org.cleft.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What can be told about the ONNX Runtime natives without loading them, and the one process-wide
 * {@link OrtEnvironment}.
 *
 * <p>The ONNX Runtime jars carry their natives as class-path resources under
 * {@code ai/onnxruntime/native/<os>-<arch>/}; the {@code onnxruntime_gpu} jar adds the CUDA
 * execution provider library ({@code libonnxruntime_providers_cuda.so} on Linux) next to the core
 * library. Looking for that resource tells the CPU jar from the GPU jar without loading anything.
 * The environment is ONNX Runtime's process singleton: cleft creates it on first use and never
 * closes it, since closing it while another component of the process uses it would break that
 * component.
 */
final class OnnxRuntimeLibrary {
  /** ONNX Runtime's system property naming a folder to load the natives from instead of the jar. */
  static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
  private static final String RESOURCE_ROOT = "ai/onnxruntime/native/";
  private static volatile OrtEnvironment environment;

  private OnnxRuntimeLibrary() {}

  /**
   * The process-wide environment; loads the natives on first call and turns ONNX Runtime's telemetry
   * off (it exists only in Windows builds; cleft never sends anything anywhere).
   *
   * @throws IllegalStateException when the natives cannot be loaded
   */
  static OrtEnvironment environment() {
    OrtEnvironment env = environment;
    if (env == null) {
      synchronized (OnnxRuntimeLibrary.class) {
        env = environment;
        if (env == null) {
          env = load();
          environment = env;
        }
      }
    }
    return env;
  }

  private static OrtEnvironment load() {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      env.setTelemetry(false);
      return env;
    } catch (ai.onnxruntime.OrtException | RuntimeException | LinkageError e) {
      throw new IllegalStateException("onnx: cannot load the ONNX Runtime natives for "
          + platform().orElse(System.getProperty("os.name") + " " + System.getProperty("os.arch")) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * ONNX Runtime's name for this platform's native folder ({@code linux-x64}, {@code osx-aarch64},
   * {@code win-x64}, ...), or empty for a platform it ships no natives for.
   */
  static Optional<String> platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osPart = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx"
        : os.contains("win") ? "win" : null;
    String archPart = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
    return osPart == null || archPart == null ? Optional.empty() : Optional.of(osPart + "-" + archPart);
  }

  /** Whether the core library for this platform is on the class path or in {@value #NATIVE_PATH_PROPERTY}. */
  static boolean coreLibraryPresent() {
    return libraryPresent("onnxruntime");
  }

  /**
   * Whether the CUDA execution provider library is on the class path (the {@code onnxruntime_gpu}
   * jar) or in {@value #NATIVE_PATH_PROPERTY}. Says nothing about CUDA and cuDNN being installed.
   */
  static boolean cudaProviderPresent() {
    return libraryPresent("onnxruntime_providers_cuda");
  }

  private static boolean libraryPresent(String name) {
    String file = System.mapLibraryName(name);
    String folder = System.getProperty(NATIVE_PATH_PROPERTY);
    if (folder != null && Files.isRegularFile(Path.of(folder, file))) {
      return true;
    }
    Optional<String> platform = platform();
    return platform.isPresent()
        && OnnxRuntimeLibrary.class.getClassLoader().getResource(RESOURCE_ROOT + platform.get() + "/" + file) != null;
  }
}
