package org.cleft.djl.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every forward tensor of every reference case within the fixture's tolerances of HuggingFace. */
class ParityTest {
  static Stream<String> cases() {
    return Stream.concat(Stream.of("tiny"), Fixtures.variantNames().stream());
  }

  static Path dir(String name) {
    return name.equals("tiny") ? Fixtures.tiny() : Fixtures.variant(name);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void forwardTensorsMatchHuggingFace(String name) throws Exception {
    Path dir = dir(name);
    Map<String, Tensor> computed = FixtureRun.forward(dir);
    List<TensorSource> expected = new ArrayList<>();
    expected.add(SafetensorsFile.open(dir.resolve("expected.safetensors")));
    if (Files.exists(dir.resolve("expected_prefix.safetensors"))) {
      expected.add(SafetensorsFile.open(dir.resolve("expected_prefix.safetensors")));
    }
    try {
      Comparison c = Comparison.of(computed, expected, Tolerances.reference());
      c.print(System.out);
      assertThat(c.rows()).allSatisfy(r -> assertThat(r.status()).as(r.name() + " max|diff| " + r.maxAbsDiff())
          .isIn("PASS", "NOISE"));
      assertThat(c.rows()).filteredOn(r -> r.status().equals("NOISE"))
          .allSatisfy(r -> assertThat(r.name()).contains("attention.key.bias"));
      assertThat(computed).containsKeys("vision.last_hidden_state", "vision.prenorm", "vision.pooled_mean",
          "text.last_hidden_state", "text.last_token", "image_embeds", "text_embeds", "logits_per_image", "loss",
          "zero_shot.text_embeds", "zero_shot.logits", "zero_shot.probs", "lora.text_embeds",
          "prefix.text.last_hidden_state", "prefix.text_embeds", "train.loss", "train.loss_after_step",
          "prompt.init_ctx", "prompt.class_embeds", "prompt.image_embeds", "prompt.scores", "prompt.loss",
          "prompt.grad_ctx");
      // every gradient and updated parameter the reference lists is computed
      try (SafetensorsFile exp = SafetensorsFile.open(dir.resolve("expected.safetensors"))) {
        assertThat(computed.keySet()).containsAll(exp.names());
      }
    } finally {
      expected.forEach(TensorSource::close);
    }
  }
}
