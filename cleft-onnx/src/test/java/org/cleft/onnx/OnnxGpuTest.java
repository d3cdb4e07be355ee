package org.cleft.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.cleft.testkit.TinyReference;
import org.cleft.api.Capability;
import org.cleft.api.Device;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The tiny fixture on CUDA device 0. Needs the onnxruntime_gpu jar, CUDA 12, cuDNN 9 and a GPU:
 * {@code ./mvnw -B test -pl cleft-onnx -Donnxruntime.artifact=onnxruntime_gpu -Dcleft.gpu=true
 * -Dcleft.excludedGroups= -Dtest=OnnxGpuTest}.
 */
@Tag("gpu")
@EnabledIfSystemProperty(named = "cleft.gpu", matches = "true")
class OnnxGpuTest {

  @Test
  void providerReportsGpuAndCudaRunsTheFixtureWithinTolerance() throws Exception {
    assertThat(new OnnxBackendProvider().capabilities()).contains(Capability.GPU);
    BackendOptions cuda = BackendOptions.defaults().withDevice(Device.cuda(0));
    try (OnnxBackend backend = new OnnxBackend(cuda)) {
      assertThat(backend.device()).isEqualTo(Device.cuda(0));
    }
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults().withDevice(Device.auto()))) {
      assertThat(backend.device()).isEqualTo(Device.cuda(0));
    }
    Map<String, Tensor> out = OnnxFixtureRun.forward(Fixtures.tiny(), cuda);
    for (String name : OnnxParityTest.NAMES) {
      assertThat(TinyReference.maxAbsDiff(out.get(name).toFloats(), TinyReference.expected(name))).as(name)
          .isLessThan(OnnxParityTest.TOLERANCE);
    }
  }
}
