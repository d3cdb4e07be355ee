package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.ImageBatch;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * A model knows its input size, and an image of another size is refused the same way on every backend (the
 * tiny fixture takes 70 px: its fixture.json's input size, the size its ONNX graph was exported at).
 */
class InputSizeContractTest {
  static final List<String> BACKENDS = List.of("djl", "onnx");

  @Test
  void everyBackendTakesTheSameSizeAndRefusesAnotherWithTheSameMessage() throws Exception {
    java.util.Set<String> messages = new java.util.HashSet<>();
    for (String name : BACKENDS) {
      try (Backend backend = Backends.open(Capability.INFERENCE, name, BackendOptions.defaults())) {
        CleftModel model = backend.load(Fixtures.tiny());
        assertThat(model.imageEncoder().inputSize()).as(name).isEqualTo(70);
        assertThat(model.imageEncoder().encode(new ImageBatch(new float[3 * 70 * 70], 1, 3, 70, 70)).rows()).isEqualTo(1);
        ImageBatch other = new ImageBatch(new float[3 * 56 * 56], 1, 3, 56, 56);
        assertThatThrownBy(() -> model.imageEncoder().encode(other)).as(name)
            .isInstanceOf(IllegalArgumentException.class)
            .satisfies(e -> messages.add(e.getMessage()))
            .hasMessageContaining("56x56").hasMessageContaining("70x70");
      }
    }
    assertThat(messages).hasSize(1);
  }

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
