package org.cleft.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files an export writes: model signatures, opset 18 and external data, defaults, class embeddings, provenance. */
class ExportOutputTest {
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
  void modelsDeclareTheContractedInputsAndOutputs() throws Exception {
    OnnxExporter.builder().imageSize(70).build().export(ckpt, out);
    OnnxMl.ModelProto image = read(out.resolve("image_encoder.onnx"));
    assertThat(image.getOpsetImport(0).getVersion()).isEqualTo(17);
    assertThat(image.getIrVersion()).isEqualTo(8);
    assertThat(image.getProducerName()).isEqualTo("cleft");
    assertThat(signature(image.getGraph().getInputList())).containsExactly("pixel_values FLOAT [batch, 3, 70, 70]");
    assertThat(signature(image.getGraph().getOutputList())).containsExactly("embeds FLOAT [batch, 16]");
    OnnxMl.ModelProto text = read(out.resolve("text_encoder.onnx"));
    assertThat(signature(text.getGraph().getInputList())).containsExactly("input_ids INT64 [batch, sequence]",
        "attention_mask INT64 [batch, sequence]");
    assertThat(signature(text.getGraph().getOutputList())).containsExactly("embeds FLOAT [batch, 16]");
    assertThat(text.getMetadataPropsList()).anySatisfy(e -> assertThat(e.getKey()).isEqualTo("cleft.source_checkpoint"));
    assertThat(Files.exists(out.resolve("image_encoder.onnx.data"))).isFalse();
  }

  @Test
  void opset18WithExternalDataGivesTheSameEmbeddings() throws Exception {
    ExportResult r = OnnxExporter.builder().imageSize(70).opset(18).externalDataThreshold(0).build().export(ckpt, out);
    assertThat(r.files()).extracting(p -> p.getFileName().toString()).contains("image_encoder.onnx.data",
        "text_encoder.onnx.data");
    OnnxMl.ModelProto image = read(out.resolve("image_encoder.onnx"));
    assertThat(image.getOpsetImport(0).getVersion()).isEqualTo(18);
    assertThat(image.getGraph().getInitializerList()).anySatisfy(t ->
        assertThat(t.getDataLocation()).isEqualTo(OnnxMl.TensorProto.DataLocation.EXTERNAL));
    try (SafetensorsFile inputs = SafetensorsFile.open(ckpt.resolve("inputs.safetensors"))) {
      Path expected = ckpt.resolve("expected.safetensors");
      Expected.assertClose(Ort.image(out.resolve("image_encoder.onnx"), inputs), expected, "image_embeds");
      Expected.assertClose(Ort.text(out.resolve("text_encoder.onnx"), inputs, ""), expected, "text_embeds");
    }
    JsonNode json = new ObjectMapper().readTree(out.resolve("export.json").toFile());
    assertThat(json.path("image_encoder").path("external_data").asBoolean()).isTrue();
    assertThat(json.path("opset").asInt()).isEqualTo(18);
    // a later inline export removes the stale external data
    OnnxExporter.builder().imageSize(70).build().export(ckpt, out);
    assertThat(Files.exists(out.resolve("image_encoder.onnx.data"))).isFalse();
  }

  @Test
  void batchAndSequenceAreDynamic() throws Exception {
    OnnxExporter.builder().imageSize(70).build().export(ckpt, out);
    try (SafetensorsFile inputs = SafetensorsFile.open(ckpt.resolve("inputs.safetensors"))) {
      long[] shape = inputs.info("input_ids").shape();
      int seq = (int) shape[1];
      long[] ids = inputs.longs("input_ids");
      long[] mask = inputs.longs("attention_mask");
      int row = 2;
      int length = (int) Arrays.stream(mask, row * seq, (row + 1) * seq).sum();
      float[][] one = Ort.text(out.resolve("text_encoder.onnx"), Arrays.copyOfRange(ids, row * seq, row * seq + length),
          Arrays.copyOfRange(mask, row * seq, row * seq + length), new long[] {1, length});
      float[] pixels = inputs.floats("pixel_values");
      long[] p = inputs.info("pixel_values").shape();
      int image = (int) (p[1] * p[2] * p[3]);
      float[][] firstImage = Ort.image(out.resolve("image_encoder.onnx"), Arrays.copyOf(pixels, image),
          new long[] {1, p[1], p[2], p[3]});
      try (SafetensorsFile expected = SafetensorsFile.open(ckpt.resolve("expected.safetensors"))) {
        float[] text = expected.floats("text_embeds");
        float[] img = expected.floats("image_embeds");
        int e = one[0].length;
        for (int j = 0; j < e; j++) {
          assertThat((double) one[0][j]).isCloseTo(text[row * e + j], org.assertj.core.data.Offset.offset(1e-4));
          assertThat((double) firstImage[0][j]).isCloseTo(img[j], org.assertj.core.data.Offset.offset(1e-4));
        }
      }
    }
  }

  @Test
  void imageSizeDefaultsToTheManifestThenTheFixtureThenTheVisionConfig() throws Exception {
    // a reference fixture declares the size its expected tensors were computed at (70 for tiny)
    assertThat(OnnxExporter.builder().build().export(ckpt, out).imageSize()).isEqualTo(70);
    java.nio.file.Files.delete(ckpt.resolve("fixture.json"));
    assertThat(OnnxExporter.builder().build().export(ckpt, out).imageSize()).isEqualTo(56);
    assertThat(signature(read(out.resolve("image_encoder.onnx")).getGraph().getInputList()))
        .containsExactly("pixel_values FLOAT [batch, 3, 56, 56]");
    new CleftManifest(null, 0, null, new CleftManifest.Vision(null, null, 70), null, null, null)
        .write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    assertThat(OnnxExporter.builder().build().export(ckpt, out).imageSize()).isEqualTo(70);
    try (SafetensorsFile inputs = SafetensorsFile.open(ckpt.resolve("inputs.safetensors"))) {
      Expected.assertClose(Ort.image(out.resolve("image_encoder.onnx"), inputs), ckpt.resolve("expected.safetensors"),
          "image_embeds");
    }
  }

  @Test
  void learnedPromptsAreCopiedWithTheirClassNames() throws Exception {
    List<String> names = List.of("atelectasis", "edema", "cardiomegaly", "pleural effusion", "consolidation");
    Map<String, Tensor> prompt = new LinkedHashMap<>();
    try (SafetensorsFile expected = SafetensorsFile.open(ckpt.resolve("expected.safetensors"))) {
      prompt.put("ctx", Tensor.from(expected, "prompt.init_ctx"));
      prompt.put("class_embeds", Tensor.from(expected, "prompt.class_embeds"));
    }
    SafetensorsWriter.write(ckpt.resolve("prompt.safetensors"), prompt, Map.of());
    CleftManifest.defaults().withPrompt(new CleftManifest.Prompt("prompt.safetensors", 8, null, names))
        .write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    ExportResult r = OnnxExporter.builder().imageSize(70).build().export(ckpt, out);
    assertThat(r.classes()).isEqualTo(5);
    try (SafetensorsFile copied = SafetensorsFile.open(out.resolve("class_embeds.safetensors"))) {
      assertThat(copied.floats("class_embeds")).containsExactly(prompt.get("class_embeds").toFloats());
      assertThat(copied.info("class_embeds").shape()).containsExactly(5, 16);
      assertThat(new ObjectMapper().readTree(copied.metadata().get("class_names")).toString())
          .isEqualTo(new ObjectMapper().writeValueAsString(names));
      try (SafetensorsFile heads = SafetensorsFile.open(ckpt.resolve("heads.safetensors"))) {
        assertThat(copied.floats("logit_scale")).containsExactly(heads.floats("logit_scale"));
      }
    }
    JsonNode json = new ObjectMapper().readTree(out.resolve("export.json").toFile());
    assertThat(json.path("class_embeds").path("classes").asInt()).isEqualTo(5);
    assertThat(json.path("class_embeds").path("class_names").get(3).asText()).isEqualTo("pleural effusion");
  }

  @Test
  void exportJsonRecordsTheProvenance() throws Exception {
    CleftManifest.defaults().withAdapter("lora").write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    OnnxExporter.builder().imageSize(70).build().export(ckpt, out);
    JsonNode json = new ObjectMapper().readTree(out.resolve("export.json").toFile());
    assertThat(json.path("format").asText()).isEqualTo("cleft-onnx-export");
    assertThat(json.path("source_checkpoint").asText()).isEqualTo(ckpt.toAbsolutePath().normalize().toString());
    assertThat(json.path("opset").asInt()).isEqualTo(17);
    assertThat(json.path("cleft_version").asText()).isNotBlank().isNotEqualTo("unknown");
    assertThat(json.path("image_encoder").path("image_size").asInt()).isEqualTo(70);
    assertThat(json.path("image_encoder").path("position_interpolation").asText()).contains("antialiased");
    assertThat(json.path("text_encoder").path("adapter").path("peft_type").asText()).isEqualTo("LORA");
    assertThat(json.path("text_encoder").path("adapter").path("handling").asText()).isEqualTo("merged");
    assertThat(json.path("text_encoder").path("max_length").asInt()).isEqualTo(64);
    try (SafetensorsFile heads = SafetensorsFile.open(ckpt.resolve("heads.safetensors"))) {
      assertThat((float) json.path("logit_scale").asDouble()).isEqualTo(heads.floats("logit_scale")[0]);
    }
  }

  @Test
  void adapterModeNoneExportsThePlainTower() throws Exception {
    CleftManifest.defaults().withAdapter("lora").write(ckpt.resolve(CleftCheckpoint.MANIFEST));
    ExportResult r = OnnxExporter.builder().imageSize(70).adapterMode(OnnxExporter.AdapterMode.NONE).build()
        .export(ckpt, out);
    assertThat(r.adapter()).isNull();
    try (SafetensorsFile inputs = SafetensorsFile.open(ckpt.resolve("inputs.safetensors"))) {
      Expected.assertClose(Ort.text(out.resolve("text_encoder.onnx"), inputs, ""), ckpt.resolve("expected.safetensors"),
          "text_embeds");
    }
    ExportResult explicit = OnnxExporter.builder().imageSize(70).adapterFolder(Path.of("prefix")).build()
        .export(ckpt, out);
    assertThat(explicit.adapter()).isEqualTo("PREFIX_TUNING");
  }

  private static OnnxMl.ModelProto read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return OnnxMl.ModelProto.parseFrom(in);
    }
  }

  private static List<String> signature(List<OnnxMl.ValueInfoProto> values) {
    return values.stream().map(v -> v.getName() + " "
        + OnnxMl.TensorProto.DataType.forNumber(v.getType().getTensorType().getElemType()) + " "
        + v.getType().getTensorType().getShape().getDimList().stream()
            .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList())
        .toList();
  }
}
