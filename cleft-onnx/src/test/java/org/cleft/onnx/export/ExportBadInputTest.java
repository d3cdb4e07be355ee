package org.cleft.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints the exporter refuses, each with a message naming the file and the field or tensor, and nothing written. */
class ExportBadInputTest {
  @TempDir
  Path tmp;
  Path ckpt;
  Path out;

  @BeforeEach
  void copyTiny() throws Exception {
    ckpt = Expected.copyWithoutOnnx("tiny", tmp.resolve("tiny"));
    out = tmp.resolve("onnx");
  }

  @Test
  void unknownModelTypeIsNamed() throws Exception {
    Path config = ckpt.resolve("vision/config.json");
    Files.writeString(config, Files.readString(config).replace("\"dinov2_with_registers\"", "\"vit\""));
    assertThatThrownBy(() -> export(70)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(config.toString()).hasMessageContaining("model_type").hasMessageContaining("'vit'");
    assertThat(out).doesNotExist();
  }

  @Test
  void missingVisionTensorIsNamed() throws Exception {
    Path weights = ckpt.resolve("vision/model.safetensors");
    rewrite(weights, "encoder.layer.1.mlp.fc1.weight", null);
    assertThatThrownBy(() -> export(70)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(weights.toString()).hasMessageContaining("'encoder.layer.1.mlp.fc1.weight' is missing");
    assertThat(out).doesNotExist();
  }

  @Test
  void missingTextTensorIsNamed() throws Exception {
    Path weights = ckpt.resolve("text/model.safetensors");
    rewrite(weights, "h.1.attn.c_proj.bias", null);
    assertThatThrownBy(() -> export(70)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(weights.toString()).hasMessageContaining("'h.1.attn.c_proj.bias' is missing");
  }

  @Test
  void misshapenHeadNamesBothShapes() throws Exception {
    Path heads = ckpt.resolve("heads.safetensors");
    rewrite(heads, "text_projection.weight", Tensor.ofFloats(new long[] {16, 31}, new float[16 * 31]));
    assertThatThrownBy(() -> export(70)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(heads.toString()).hasMessageContaining("'text_projection.weight' has shape [16, 31]")
        .hasMessageContaining("expected [16, 32]");
  }

  @Test
  void imageSizeOffThePatchGridIsRefused() {
    assertThatThrownBy(() -> export(71)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("vision/config.json").hasMessageContaining("71 is not a multiple of patch_size 14")
        .hasMessageContaining("try 70");
  }

  @Test
  void unsupportedAdaptersAreNamed() throws Exception {
    Path config = ckpt.resolve("lora/adapter_config.json");
    Files.writeString(config, Files.readString(config).replace("\"use_dora\": false", "\"use_dora\": true"));
    CleftManifest.defaults().withAdapter("lora").write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    assertThatThrownBy(() -> export(70)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(config.toString()).hasMessageContaining("use_dora");
    Path ia3 = ckpt.resolve("ia3/adapter_model.safetensors");
    rewrite(ia3, "base_model.model.h.7.attn.c_attn.ia3_l", Tensor.ofFloats(new long[] {96, 1}, new float[96]));
    assertThatThrownBy(() -> OnnxExporter.builder().imageSize(70).adapterFolder(Path.of("ia3")).build()
        .export(ckpt, out)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(ia3.toString()).hasMessageContaining("module 'h.7.attn.c_attn'");
  }

  @Test
  void classNamesMustMatchTheClassEmbeddings() throws Exception {
    SafetensorsWriter.write(ckpt.resolve("prompt.safetensors"),
        Map.of("class_embeds", Tensor.ofFloats(new long[] {2, 16}, new float[32])), Map.of());
    CleftManifest.defaults().withPrompt(new CleftManifest.Prompt("prompt.safetensors", 8, null, List.of("a", "b", "c")))
        .write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    assertThatThrownBy(() -> export(70)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("prompt.class_names has 3 names").hasMessageContaining("holds 2 class embeddings");
  }

  @Test
  void builderRejectsBadOptions() {
    assertThatThrownBy(() -> OnnxExporter.builder().opset(16)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("opset").hasMessageContaining("16");
    assertThatThrownBy(() -> OnnxExporter.builder().imageSize(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imageSize");
    assertThatThrownBy(() -> OnnxExporter.builder().externalDataThreshold(3L << 30))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("externalDataThreshold");
  }

  private void export(int size) throws Exception {
    OnnxExporter.builder().imageSize(size).build().export(ckpt, out);
  }

  /** Rewrites a safetensors file with tensor {@code name} replaced by {@code value}, or removed when it is null. */
  private static void rewrite(Path file, String name, Tensor value) throws Exception {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> meta;
    try (SafetensorsFile in = SafetensorsFile.open(file)) {
      meta = in.metadata();
      for (String n : in.names()) {
        tensors.put(n, Tensor.from(in, n));
      }
    }
    if (value == null) {
      tensors.remove(name);
    } else {
      tensors.put(name, value);
    }
    SafetensorsWriter.write(file, tensors, meta);
  }
}
