package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code classify} on a checkpoint whose logit_scale is NaN prints no prediction and names the tensor (the load
 * error itself is part of the inference contract, {@code InferenceContract.nonFiniteHeadsAreANamedLoadError}).
 */
class NonFiniteWeightsTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"djl", "onnx"})
  void nanLogitScaleIsANamedErrorNotAPrediction(String backend) throws Exception {
    Path model = Fixtures.copy(Fixtures.tiny(), tmp.resolve("model"));
    Path heads = model.resolve("heads.safetensors");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(Fixtures.tiny().resolve("heads.safetensors"))) {
      for (String name : f.names()) {
        float[] v = f.floats(name);
        if (name.equals("logit_scale")) {
          v[0] = Float.NaN;
        }
        tensors.put(name, Tensor.ofFloats(f.info(name).shape(), v));
      }
    }
    SafetensorsWriter.write(heads, tensors, Map.of("format", "pt"));
    CliRun run = CliRun.of("classify", "--model", model.toString(), "--backend", backend, "--classes", "edema,effusion",
        "--json", Fixtures.preprocess().resolve("images/jpeg8.jpg").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).doesNotContain("NaN").doesNotContain("predicted");
    assertThat(run.err()).contains("'logit_scale'", "NaN").doesNotContain("internal error");
  }
}
