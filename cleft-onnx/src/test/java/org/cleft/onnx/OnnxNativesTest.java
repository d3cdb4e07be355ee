package org.cleft.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.api.CleftHome;
import org.cleft.api.spi.BackendOptions;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's natives come from the cleft home folder, not from a fresh {@code /tmp/onnxruntime-java*} copy per
 * process, and DJL's tracking is off on the ONNX path too (its tokenizer would otherwise call home).
 */
class OnnxNativesTest {
  @Test
  void nativesLoadFromTheHomeFolderAndTrackingIsOff() throws Exception {
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults())) {
      assertThat(backend.name()).isEqualTo("onnx");
    }
    String dir = System.getProperty("onnxruntime.native.path");
    assertThat(dir).isNotNull();
    Path folder = Path.of(dir);
    assertThat(folder).startsWith(CleftHome.directory().resolve("onnxruntime"));
    assertThat(folder.resolve(System.mapLibraryName("onnxruntime"))).isRegularFile();
    assertThat(System.getProperty("onnxruntime.native.onnxruntime4j_jni.path"))
        .isEqualTo(folder.resolve(System.mapLibraryName("onnxruntime4j_jni")).toString());
    assertThat(Files.size(folder.resolve(System.mapLibraryName("onnxruntime")))).isPositive();
    assertThat(System.getProperty(CleftHome.DJL_OPT_OUT_TRACKING)).isEqualTo("true");
  }
}
