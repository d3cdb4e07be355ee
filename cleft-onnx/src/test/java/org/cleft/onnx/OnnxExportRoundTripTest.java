package org.cleft.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.testkit.TinyReference;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.spi.BackendOptions;
import org.cleft.onnx.export.OnnxExporter;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract between the Java exporter and this backend: a checkpoint exported by
 * {@link OnnxExporter} into its {@code onnx/} folder loads in {@link OnnxBackend} and gives the
 * HuggingFace reference numbers, with a LoRA adapter merged and on a variant without registers.
 */
class OnnxExportRoundTripTest {
  @TempDir
  Path tmp;

  /** A copy of a fixture whose {@code onnx/} folder is replaced by the Java exporter's output. */
  private Path exported(Path fixture, String adapter) throws Exception {
    Path dir = Fixtures.copy(fixture, tmp.resolve(fixture.getFileName()));
    Path onnx = dir.resolve(OnnxCleftModel.ONNX_FOLDER);
    if (Files.isDirectory(onnx)) {
      try (var files = Files.list(onnx)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
    }
    if (adapter != null) {
      CleftManifest.defaults().withAdapter(adapter).write(dir.resolve(CleftCheckpoint.MANIFEST));
    }
    OnnxExporter.builder().build().export(dir, onnx);
    return dir;
  }

  @Test
  void tinyWithLoraMergedMatchesPeft() throws Exception {
    Path dir = exported(Fixtures.tiny(), "lora");
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults());
        OnnxCleftModel model = backend.load(dir);
        SafetensorsFile inputs = SafetensorsFile.open(dir.resolve("inputs.safetensors"));
        SafetensorsFile expected = SafetensorsFile.open(dir.resolve("expected.safetensors"))) {
      assertThat(model.imageEncoder().imageHeight()).hasValue(70);
      float[] images = model.imageEncoder().encode(images(inputs)).data();
      assertThat(TinyReference.maxAbsDiff(images, expected.floats("image_embeds"))).isLessThan(OnnxParityTest.TOLERANCE);
      float[] texts = model.textEncoder().encode(tokens(inputs)).data();
      assertThat(TinyReference.maxAbsDiff(texts, expected.floats("lora.text_embeds")))
          .isLessThan(OnnxParityTest.TOLERANCE);
    }
  }

  @Test
  void variantWithoutRegistersMatchesTheReference() throws Exception {
    Path dir = exported(Fixtures.variant("dinov2_up_bpe"), null);
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults());
        OnnxCleftModel model = backend.load(dir);
        SafetensorsFile inputs = SafetensorsFile.open(dir.resolve("inputs.safetensors"));
        SafetensorsFile expected = SafetensorsFile.open(dir.resolve("expected.safetensors"))) {
      float[] images = model.imageEncoder().encode(images(inputs)).data();
      assertThat(TinyReference.maxAbsDiff(images, expected.floats("image_embeds"))).isLessThan(OnnxParityTest.TOLERANCE);
      float[] texts = model.textEncoder().encode(tokens(inputs)).data();
      assertThat(TinyReference.maxAbsDiff(texts, expected.floats("text_embeds"))).isLessThan(OnnxParityTest.TOLERANCE);
    }
  }

  private static ImageBatch images(SafetensorsFile f) throws Exception {
    long[] s = f.info("pixel_values").shape();
    return new ImageBatch(f.floats("pixel_values"), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
  }

  private static TokenBatch tokens(SafetensorsFile f) throws Exception {
    long[] s = f.info("input_ids").shape();
    return new TokenBatch(f.longs("input_ids"), f.longs("attention_mask"), (int) s[0], (int) s[1]);
  }
}
