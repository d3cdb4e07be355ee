package org.cleft.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What can be told about ONNX Runtime without loading it: whether its jar, its native library for
 * this platform and the CUDA execution provider library are on the class path. Uses JDK classes
 * only, so that the provider works even when the ONNX Runtime jar is missing.
 *
 * <p>The ONNX Runtime jars carry their natives as class-path resources under
 * {@code ai/onnxruntime/native/<os>-<arch>/}; the {@code onnxruntime_gpu} jar adds the CUDA
 * execution provider library ({@code libonnxruntime_providers_cuda.so} on Linux) next to the core
 * library. Looking for that resource tells the CPU jar from the GPU jar without loading anything.
 */
final class OnnxRuntimeLibrary {
  /** ONNX Runtime's system property naming a folder to load the natives from instead of the jar. */
  static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
  private static final String RESOURCE_ROOT = "ai/onnxruntime/native/";

  private OnnxRuntimeLibrary() {}

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

  /** Whether the ONNX Runtime Java classes are on the class path. */
  static boolean javaApiPresent() {
    return OnnxRuntimeLibrary.class.getClassLoader().getResource("ai/onnxruntime/OrtEnvironment.class") != null;
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
