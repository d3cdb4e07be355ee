package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
    Path model = Fixtures.tinyWithNanLogitScale(tmp.resolve("model"));
    CliRun run = CliRun.of("classify", "--model", model.toString(), "--backend", backend, "--classes", "edema,effusion",
        "--json", Fixtures.preprocess().resolve("images/jpeg8.jpg").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).doesNotContain("NaN").doesNotContain("predicted");
    assertThat(run.err()).contains("'logit_scale'", "NaN").doesNotContain("internal error");
  }
}
