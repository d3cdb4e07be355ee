package org.cleft.onnx;

import ai.onnxruntime.OrtEnvironment;
import org.cleft.api.CleftHome;

/**
 * The one process-wide {@link OrtEnvironment}. It is ONNX Runtime's singleton: cleft creates it on
 * first use and never closes it, since closing it while another component of the process uses it
 * would break that component.
 */
final class OnnxEnvironment {
  private static volatile OrtEnvironment environment;

  private OnnxEnvironment() {}

  /**
   * The process-wide environment; loads the natives on first call and turns ONNX Runtime's telemetry
   * off (it exists only in Windows builds; cleft never sends anything anywhere).
   *
   * @throws IllegalStateException when the natives cannot be loaded
   */
  static OrtEnvironment get() {
    OrtEnvironment env = environment;
    if (env == null) {
      synchronized (OnnxEnvironment.class) {
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
      CleftHome.configureEngines();
      OnnxNatives.install();
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      env.setTelemetry(false);
      return env;
    } catch (ai.onnxruntime.OrtException | RuntimeException | LinkageError e) { // UncheckedIOException included
      String platform = OnnxRuntimeLibrary.platform()
          .orElse(System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      throw new IllegalStateException("onnx: cannot load the ONNX Runtime natives for " + platform + ": "
          + e.getMessage(), e);
    }
  }
}
