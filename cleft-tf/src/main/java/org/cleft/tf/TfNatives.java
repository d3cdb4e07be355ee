package org.cleft.tf;

import java.util.List;

/** What TensorFlow Java's jars on the class path offer, judged from their resources without loading them. */
final class TfNatives {
  private static final String LIBRARIES = "org/tensorflow/internal/c_api/";
  private static final List<String> PLATFORMS = List.of("linux-x86_64-gpu", "linux-x86_64", "linux-arm64",
      "macosx-arm64", "windows-x86_64");

  private TfNatives() {}

  static boolean javaApiPresent() {
    return TfNatives.class.getClassLoader().getResource("org/tensorflow/TensorFlow.class") != null;
  }

  /** The native build on the class path, or null. */
  static String platform() {
    for (String p : PLATFORMS) {
      if (TfNatives.class.getClassLoader().getResource(LIBRARIES + p + "/") != null) {
        return p;
      }
    }
    return null;
  }

  static boolean gpuBuildPresent() {
    return "linux-x86_64-gpu".equals(platform());
  }
}
