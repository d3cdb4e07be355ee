package org.cleft.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ONNX backend's settings from {@link org.cleft.api.spi.BackendOptions#extra()}, validated.
 *
 * @param intraOpThreads threads one operator may use in a session; 0 lets ONNX Runtime choose
 * @param logLevel the severity from which ONNX Runtime's own session log is printed to standard error
 */
record OnnxOptions(int intraOpThreads, OrtLoggingLevel logLevel) {
  /** Key: threads per operator in each session, a whole number >= 0 (default 0: ONNX Runtime's choice). */
  static final String INTRA_OP_THREADS = "onnx.intra_op_threads";
  /**
   * Key: ONNX Runtime's own session log level, {@code verbose}, {@code info}, {@code warning}, {@code error}
   * or {@code fatal} (default {@code fatal}: every failure reaches the caller as an exception with ONNX
   * Runtime's message, so printing it again would only add a stray line).
   */
  static final String LOG_LEVEL = "onnx.log_level";
  private static final List<String> KEYS = List.of(INTRA_OP_THREADS, LOG_LEVEL);

  /**
   * Reads and validates the {@code onnx.*} keys; other keys belong to other backends and are ignored.
   *
   * @throws IllegalArgumentException naming an unknown {@code onnx.*} key or a bad value
   */
  static OnnxOptions parse(Map<String, String> extra) {
    for (String key : extra.keySet()) {
      if (key.startsWith("onnx.") && !KEYS.contains(key)) {
        throw new IllegalArgumentException("onnx: unknown option '" + key + "'; the onnx backend knows " + KEYS);
      }
    }
    return new OnnxOptions(threads(extra.get(INTRA_OP_THREADS)), level(extra.get(LOG_LEVEL)));
  }

  private static int threads(String value) {
    if (value == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("onnx: option " + INTRA_OP_THREADS + " must be a whole number >= 0 "
        + "(0: ONNX Runtime's default), got '" + value + "'");
  }

  private static OrtLoggingLevel level(String value) {
    if (value == null) {
      return OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
    }
    try {
      return OrtLoggingLevel.valueOf("ORT_LOGGING_LEVEL_" + value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("onnx: option " + LOG_LEVEL + " must be verbose, info, warning, error or "
          + "fatal, got '" + value + "'", e);
    }
  }

  /** Applies these settings to a session's options. */
  void applyTo(OrtSession.SessionOptions options) throws OrtException {
    if (intraOpThreads > 0) {
      options.setIntraOpNumThreads(intraOpThreads);
    }
    options.setSessionLogLevel(logLevel);
  }
}
