package org.cleft.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cleft.testkit.TinyReference;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reference fixtures' exported graphs on ONNX Runtime give HuggingFace's numbers within 1e-4. */
class OnnxParityTest {
  static final double TOLERANCE = 1e-4;
  static final List<String> NAMES = List.of("image_embeds", "text_embeds", "logits_per_image", "loss",
      "zero_shot.text_embeds", "zero_shot.logits", "zero_shot.probs");

  static List<String> fixtures() {
    List<String> names = new java.util.ArrayList<>(List.of("tiny"));
    names.addAll(Fixtures.variantNames());
    return names;
  }

  /** Every reference fixture (tiny and the variants) ships graphs exported from PyTorch in its onnx/ folder. */
  @ParameterizedTest
  @MethodSource("fixtures")
  void fixtureRunMatchesExpectedTensors(String fixture) throws Exception {
    Path dir = fixture.equals("tiny") ? Fixtures.tiny() : Fixtures.variant(fixture);
    Map<String, Tensor> out = OnnxFixtureRun.forward(dir);
    assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(NAMES);
    try (SafetensorsFile expected = SafetensorsFile.open(dir.resolve("expected.safetensors"))) {
      for (String name : NAMES) {
        Tensor t = out.get(name);
        assertThat(t.shape()).as(name).isEqualTo(expected.info(name).shape());
        assertThat(TinyReference.maxAbsDiff(t.toFloats(), expected.floats(name))).as(fixture + " " + name)
            .isLessThan(TOLERANCE);
      }
    }
  }
}
