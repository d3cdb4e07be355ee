package org.cleft.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exports every reference fixture (tiny and the variants) with and without each adapter, runs the
 * ONNX graphs with ONNX Runtime on the fixture's inputs and compares the embeddings with the
 * HuggingFace tensors in {@code expected.safetensors} / {@code expected_prefix.safetensors}.
 */
class ExportParityTest {
  @TempDir
  Path tmp;

  static Stream<String> cases() {
    return Stream.concat(Stream.of("tiny"), Fixtures.variantNames().stream());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void plainTowersMatchHuggingFace(String name) throws Exception {
    Path ckpt = Expected.copyWithoutOnnx(name, tmp.resolve(name));
    Path out = tmp.resolve("onnx");
    ExportResult r;
    try (SafetensorsFile inputs = SafetensorsFile.open(ckpt.resolve("inputs.safetensors"))) {
      int size = (int) inputs.info("pixel_values").shape()[2];
      r = OnnxExporter.builder().imageSize(size).build().export(ckpt, out);
      Path expected = ckpt.resolve("expected.safetensors");
      Expected.assertClose(Ort.image(out.resolve("image_encoder.onnx"), inputs), expected, "image_embeds");
      Expected.assertClose(Ort.text(out.resolve("text_encoder.onnx"), inputs, ""), expected, "text_embeds");
      if (inputs.contains("zero_shot_input_ids")) {
        Expected.assertClose(Ort.text(out.resolve("text_encoder.onnx"), inputs, "zero_shot_"), expected,
            "zero_shot.text_embeds");
      }
    }
    assertThat(r.adapter()).isNull();
    assertThat(r.adapterHandling()).isEqualTo("none");
    assertThat(r.files()).extracting(p -> p.getFileName().toString())
        .contains("image_encoder.onnx", "text_encoder.onnx", "export.json");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void loraMergedMatchesPeft(String name) throws Exception {
    Path ckpt = Expected.copyWithoutOnnx(name, tmp.resolve(name));
    CleftManifest.defaults().withAdapter("lora").write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    ExportResult r = exportText(ckpt, ckpt.resolve("expected.safetensors"), "lora.text_embeds");
    assertThat(r.adapter()).isEqualTo("LORA");
    assertThat(r.adapterHandling()).isEqualTo("merged");
  }

  /**
   * The reference computes IA3 after one contrastive AdamW step, so its text projection is
   * {@code train.after_step.text_projection.*}: the export reads a heads file holding those.
   */
  @ParameterizedTest
  @MethodSource("cases")
  void ia3FoldedMatchesPeft(String name) throws Exception {
    assumeTrue(Files.isDirectory(Expected.fixture(name).resolve("ia3")), name + " has no IA3 adapter");
    Path ckpt = Expected.copyWithoutOnnx(name, tmp.resolve(name));
    Fixtures.writeHeadsAfterStep(ckpt, "heads_after_step.safetensors");
    new CleftManifest(null, 0, null, null, "heads_after_step.safetensors", null, null).withAdapter("ia3")
        .write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    ExportResult r = exportText(ckpt, ckpt.resolve("expected.safetensors"), "ia3.text_embeds");
    assertThat(r.adapterHandling()).isEqualTo("folded");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void prefixInGraphMatchesPeft(String name) throws Exception {
    assumeTrue(Files.isRegularFile(Expected.fixture(name).resolve("expected_prefix.safetensors")));
    Path ckpt = Expected.copyWithoutOnnx(name, tmp.resolve(name));
    CleftManifest.defaults().withAdapter("prefix").write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    ExportResult r = exportText(ckpt, ckpt.resolve("expected_prefix.safetensors"), "prefix.text_embeds");
    assertThat(r.adapterHandling()).isEqualTo("in-graph");
  }

  private ExportResult exportText(Path ckpt, Path expected, String tensor) throws Exception {
    Path out = tmp.resolve("onnx");
    try (SafetensorsFile inputs = SafetensorsFile.open(ckpt.resolve("inputs.safetensors"))) {
      int size = (int) inputs.info("pixel_values").shape()[2];
      ExportResult r = OnnxExporter.builder().imageSize(size).build().export(ckpt, out);
      Expected.assertClose(Ort.text(out.resolve("text_encoder.onnx"), inputs, ""), expected, tensor);
      return r;
    }
  }
}
