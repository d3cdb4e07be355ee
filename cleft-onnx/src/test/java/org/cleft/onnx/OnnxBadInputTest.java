package org.cleft.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.Device;
import org.cleft.api.Precision;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing or wrong files, wrong inputs and unsupported options fail with messages that name the culprit. */
class OnnxBadInputTest {
  @TempDir
  Path tmp;

  private Path tinyCopy() {
    return Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
  }

  private static CheckpointException loadFailure(Path dir) {
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults())) {
      backend.load(dir).close();
      throw new AssertionError("loading " + dir + " should have failed");
    } catch (CheckpointException e) {
      return e;
    }
  }

  @Test
  void missingOnnxFolderIsNamed() throws Exception {
    Path dir = tinyCopy();
    for (Path p : Files.list(dir.resolve("onnx")).toList()) {
      Files.delete(p);
    }
    Files.delete(dir.resolve("onnx"));
    assertThat(loadFailure(dir)).hasMessageContaining(dir.resolve("onnx").toString())
        .hasMessageContaining("image_encoder.onnx").hasMessageContaining("cleft export");
  }

  @Test
  void missingGraphIsNamed() throws Exception {
    Path dir = tinyCopy();
    Files.delete(dir.resolve("onnx/text_encoder.onnx"));
    assertThat(loadFailure(dir)).hasMessageContaining(dir.resolve("onnx/text_encoder.onnx").toString())
        .hasMessageContaining("not found");
  }

  @Test
  void missingExternalWeightsAreNamed() throws Exception {
    Path dir = tinyCopy();
    Files.delete(dir.resolve("onnx/image_encoder.onnx.data"));
    assertThat(loadFailure(dir)).hasMessageContaining("image_encoder.onnx.data");
  }

  @Test
  void graphWithWrongInputsNamesTheInput() throws Exception {
    Path dir = tinyCopy();
    // the text graph in the image graph's place: inputs input_ids and attention_mask, no pixel_values
    Files.copy(dir.resolve("onnx/text_encoder.onnx"), dir.resolve("onnx/image_encoder.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(loadFailure(dir)).hasMessageContaining("image_encoder.onnx").hasMessageContaining("pixel_values")
        .hasMessageContaining("input_ids");
  }

  @Test
  void headsWithoutLogitScaleAreNamed() throws Exception {
    Path dir = tinyCopy();
    Path heads = dir.resolve("heads.safetensors");
    Map<String, Tensor> kept = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(heads)) {
      for (String n : f.names()) {
        if (!n.equals("logit_scale")) {
          kept.put(n, Tensor.from(f, n));
        }
      }
    }
    SafetensorsWriter.write(heads, kept, Map.of());
    assertThat(loadFailure(dir)).hasMessageContaining(heads.toString()).hasMessageContaining("logit_scale");
  }

  @Test
  void precisionOtherThanFp32IsRefused() {
    for (Precision p : List.of(Precision.FP16, Precision.BF16)) {
      assertThatThrownBy(() -> new OnnxBackend(BackendOptions.defaults().withPrecision(p)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(p.name()).hasMessageContaining("FP32");
    }
  }

  @Test
  void explicitCudaWithTheCpuJarNamesTheMissingPieces() {
    // this module's tests run with the CPU-only onnxruntime jar
    assertThatThrownBy(() -> new OnnxBackend(BackendOptions.defaults().withDevice(Device.cuda(0))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("onnxruntime_gpu")
        .hasMessageContaining("CUDA 12").hasMessageContaining("cuDNN 9");
  }

  @Test
  void autoFallsBackToTheCpu() throws Exception {
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults().withDevice(Device.auto()))) {
      assertThat(backend.device()).isEqualTo(Device.cpu());
    }
  }

  @Test
  void unknownOptionIsRefused() {
    BackendOptions options = new BackendOptions(Device.cpu(), Precision.FP32, Map.of("onnx.threads", "2"));
    assertThatThrownBy(() -> new OnnxBackend(options)).hasMessageContaining("onnx.threads")
        .hasMessageContaining(OnnxBackend.INTRA_OP_THREADS);
    BackendOptions bad = new BackendOptions(Device.cpu(), Precision.FP32, Map.of(OnnxBackend.INTRA_OP_THREADS, "-1"));
    assertThatThrownBy(() -> new OnnxBackend(bad)).hasMessageContaining("-1");
    BackendOptions level = new BackendOptions(Device.cpu(), Precision.FP32, Map.of(OnnxBackend.LOG_LEVEL, "loud"));
    assertThatThrownBy(() -> new OnnxBackend(level)).hasMessageContaining("loud").hasMessageContaining("fatal");
  }
}
