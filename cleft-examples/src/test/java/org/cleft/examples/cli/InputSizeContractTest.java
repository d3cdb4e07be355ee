package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * A model knows its input size, and an image of another size is refused the same way on every backend (the
 * tiny fixture takes 70 px: its fixture.json's input size, the size its ONNX graph was exported at).
 */
class InputSizeContractTest {
  static final List<String> BACKENDS = List.of("djl", "onnx");

  @Test
  void classifyRefusesAnotherSizeAlikeOnEveryBackend() {
    java.util.Set<String> errors = new java.util.HashSet<>();
    for (String backend : BACKENDS) {
      CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--backend", backend, "--classes",
          "edema,effusion", "--image-size", "56", Fixtures.preprocess().resolve("images/jpeg8.jpg").toString());
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      errors.add(run.err().lines().filter(l -> !l.startsWith("cleft: note: ")).findFirst().orElseThrow());
      CliRun ok = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--backend", backend, "--classes",
          "edema,effusion", Fixtures.preprocess().resolve("images/jpeg8.jpg").toString());
      assertThat(ok.exitCode()).as(ok.err()).isZero();
    }
    assertThat(errors).hasSize(1);
  }
}
