package org.cleft.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns ONNX Runtime's CUDA failures into a message naming what is missing: the
 * {@code onnxruntime_gpu} jar, the CUDA 12 libraries, cuDNN 9, or a visible device.
 */
final class CudaDiagnosis {
  /** What the CUDA execution provider of ONNX Runtime 1.23 needs. */
  static final String REQUIREMENTS = "CUDA needs com.microsoft.onnxruntime:onnxruntime_gpu (same version) instead "
      + "of onnxruntime on the class path, the CUDA 12 runtime libraries and, for ONNX Runtime up to 1.24, cuDNN 9 "
      + "on the library path (LD_LIBRARY_PATH), and an NVIDIA driver with a visible GPU; see docs/backends.md";

  private CudaDiagnosis() {}

  /**
   * The message for a CUDA device that cannot be used.
   *
   * @param index the CUDA device asked for
   * @param ortMessage ONNX Runtime's message
   */
  static String explain(int index, String ortMessage) {
    return "onnx: cannot use CUDA device " + index + ": " + String.join("; ", missing(ortMessage))
        + " (ONNX Runtime: " + String.valueOf(ortMessage).strip().replaceAll("\\s*\\R\\s*", " ") + "). "
        + REQUIREMENTS;
  }

  /** Whether ONNX Runtime's message is about CUDA (its provider, libraries or device) rather than the graph. */
  static boolean mentionsCuda(String ortMessage) {
    String m = String.valueOf(ortMessage).toLowerCase(Locale.ROOT);
    return m.contains("cuda") || m.contains("cudnn") || m.contains("cublas") || m.contains("cudart");
  }

  /** The missing pieces that can be told from the class path and ONNX Runtime's message. */
  static List<String> missing(String ortMessage) {
    String m = String.valueOf(ortMessage).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    if (!OnnxRuntimeLibrary.cudaProviderPresent()) {
      out.add("the class path has the CPU-only onnxruntime jar; replace it with onnxruntime_gpu");
    }
    if (m.contains("libcudnn")) {
      out.add("cuDNN 9 (libcudnn.so.9) was not found");
    }
    if (m.contains("libcublas") || m.contains("libcudart") || m.contains("libcufft") || m.contains("libcurand")) {
      out.add("the CUDA 12 runtime libraries (libcudart.so.12, libcublas.so.12, libcublasLt.so.12) were not found");
    }
    if (m.contains("no cuda-capable device") || m.contains("invalid device ordinal")
        || m.contains("driver")) {
      out.add("no usable NVIDIA GPU or driver for this device index");
    }
    if (out.isEmpty()) {
      out.add("the CUDA execution provider failed to load");
    }
    return out;
  }
}
