package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleft verify} on the tiny reference fixture, as is and with a perturbed expected tensor. */
class VerifyCommandTest {
  @TempDir
  Path tmp;

  @Test
  void tinyFixturePassesAndWritesEveryTensor() throws Exception {
    Path out = tmp.resolve("v.safetensors");
    CliRun run = CliRun.of("verify", "--fixture", Fixtures.tiny().toString(), "--backend", "djl",
        "--out", out.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("image_embeds", "PASS", " 0 failed");
    try (SafetensorsFile file = SafetensorsFile.open(out)) {
      assertThat(file.names()).contains("image_embeds", "text_embeds", "logits_per_image", "loss");
      assertThat(file.info("image_embeds").shape()).hasSize(2);
      assertThat(file.metadata()).containsEntry("backend", "djl").containsKey("fixture");
    }
  }

  @Test
  void onnxComparesWhatItComputesAndSkipsTheRest() throws Exception {
    Path out = tmp.resolve("o.safetensors");
    CliRun run = CliRun.of("verify", "--fixture", Fixtures.tiny().toString(), "--backend", "onnx",
        "--out", out.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("backend  onnx", "7 passed, 0 failed", "not computed by onnx: not compared");
    assertThat(run.out().lines().filter(l -> l.startsWith("zero_shot.probs "))).singleElement().asString()
        .contains("PASS");
    try (SafetensorsFile file = SafetensorsFile.open(out)) {
      assertThat(file.names()).containsExactlyInAnyOrder("image_embeds", "text_embeds", "logits_per_image", "loss",
          "zero_shot.text_embeds", "zero_shot.logits", "zero_shot.probs");
      assertThat(file.metadata()).containsEntry("backend", "onnx");
    }
  }

  @Test
  void onnxShowsAComputedTensorMissingFromExpected() throws Exception {
    Path fixture = Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try (SafetensorsFile in = SafetensorsFile.open(fixture.resolve("expected.safetensors"))) {
      for (String n : in.names()) {
        if (!n.equals("loss")) {
          tensors.put(n, Tensor.from(in, n));
        }
      }
    }
    SafetensorsWriter.write(fixture.resolve("expected.safetensors"), tensors, Map.of());
    CliRun run = CliRun.of("verify", "--fixture", fixture.toString(), "--backend", "onnx",
        "--out", tmp.resolve("o.safetensors").toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out().lines().filter(l -> l.startsWith("loss "))).singleElement().asString().contains("ONLY");
    assertThat(run.out()).contains("6 passed, 0 failed", "1 without reference");
  }

  @Test
  void perturbedExpectedImageEmbedsFails() throws Exception {
    Path fixture = Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
    perturb(fixture.resolve("expected.safetensors"), "image_embeds", 1e-2f);
    CliRun run = CliRun.of("verify", "--fixture", fixture.toString(), "--backend", "djl",
        "--out", tmp.resolve("v.safetensors").toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out().lines().filter(l -> l.startsWith("image_embeds "))).singleElement()
        .asString().contains("FAIL");
  }

  @Test
  void missingFixtureIsOneLineFailure() {
    CliRun run = CliRun.of("verify", "--fixture", tmp.resolve("absent").toString(), "--out",
        tmp.resolve("v.safetensors").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: ").contains("absent", "hint:");
  }

  @Test
  void brokenCheckpointIsOneLineFailure() throws Exception {
    Path fixture = Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
    Files.delete(fixture.resolve("heads.safetensors"));
    CliRun run = CliRun.of("verify", "--fixture", fixture.toString(), "--out", tmp.resolve("v.safetensors").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: ").contains("heads.safetensors", "docs/checkpoint-format.md");
  }

  private static void perturb(Path file, String name, float delta) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata;
    try (SafetensorsFile in = SafetensorsFile.open(file)) {
      metadata = in.metadata();
      for (String n : in.names()) {
        tensors.put(n, Tensor.from(in, n));
      }
    }
    Tensor t = tensors.get(name);
    float[] values = t.toFloats();
    values[0] += delta;
    tensors.put(name, Tensor.ofFloats(t.shape(), values));
    SafetensorsWriter.write(file, tensors, metadata);
  }
}
