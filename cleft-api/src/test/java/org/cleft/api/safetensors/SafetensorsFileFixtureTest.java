package org.cleft.api.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads every safetensors file of the tiny reference fixture. */
class SafetensorsFileFixtureTest {
  private static Path tiny;
  private static JsonNode fixture;
  private static JsonNode textConfig;
  private static JsonNode visionConfig;

  @BeforeAll
  static void load() throws IOException {
    tiny = TinyFixture.dir();
    ObjectMapper json = new ObjectMapper();
    fixture = json.readTree(tiny.resolve("fixture.json").toFile());
    textConfig = json.readTree(tiny.resolve("text/config.json").toFile());
    visionConfig = json.readTree(tiny.resolve("vision/config.json").toFile());
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/model.safetensors", "vision/model.safetensors", "lora/adapter_model.safetensors",
      "ia3/adapter_model.safetensors", "prefix/adapter_model.safetensors", "heads.safetensors",
      "inputs.safetensors", "expected.safetensors", "expected_prefix.safetensors"})
  void everyTensorOfEveryFileReads(String relative) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(tiny.resolve(relative))) {
      assertThat(f.names()).isNotEmpty();
      for (String name : f.names()) {
        TensorInfo info = f.info(name);
        assertThat(f.raw(name).remaining()).isEqualTo(info.byteLength());
        if (info.dtype().isFloatingPoint()) {
          float[] v = f.floats(name);
          assertThat((long) v.length).isEqualTo(info.numel());
        } else {
          assertThat((long) f.longs(name).length).isEqualTo(info.numel());
        }
      }
    }
  }

  @Test
  void textTowerShapesMatchItsConfig() throws IOException {
    int vocab = textConfig.get("vocab_size").asInt();
    int width = textConfig.get("n_embd").asInt();
    try (SafetensorsFile f = SafetensorsFile.open(tiny.resolve("text/model.safetensors"))) {
      assertThat(f.info("wte.weight").shape()).containsExactly(50257, 32);
      assertThat(f.info("wte.weight").shape()).containsExactly(vocab, width);
      assertThat(f.info("wpe.weight").shape()).containsExactly(textConfig.get("n_positions").asInt(), width);
      assertThat(f.info("h.0.attn.c_attn.weight").shape()).containsExactly(width, 3L * width);
      assertThat(f.info("wte.weight").dtype()).isEqualTo(DType.F32);
      assertThat(f.metadata()).containsEntry("format", "pt");
      assertThat(f.names().stream().filter(n -> n.startsWith("h.")).map(n -> n.split("\\.")[1]).distinct())
          .hasSize(textConfig.get("n_layer").asInt());
    }
  }

  @Test
  void visionTowerShapesMatchItsConfig() throws IOException {
    int hidden = visionConfig.get("hidden_size").asInt();
    int patch = visionConfig.get("patch_size").asInt();
    try (SafetensorsFile f = SafetensorsFile.open(tiny.resolve("vision/model.safetensors"))) {
      assertThat(f.info("embeddings.cls_token").shape()).containsExactly(1, 1, hidden);
      assertThat(f.info("embeddings.register_tokens").shape())
          .containsExactly(1, visionConfig.get("num_register_tokens").asInt(), hidden);
      assertThat(f.info("embeddings.patch_embeddings.projection.weight").shape())
          .containsExactly(hidden, 3, patch, patch);
    }
  }

  @Test
  void headsHoldTheInitialTemperature() throws IOException {
    int emb = fixture.get("spec").get("emb_dim").asInt();
    int width = fixture.get("spec").get("n_embd").asInt();
    try (SafetensorsFile f = SafetensorsFile.open(tiny.resolve("heads.safetensors"))) {
      assertThat(f.floats("logit_scale")[0]).isCloseTo((float) Math.log(1 / 0.07), within(1e-6f));
      assertThat(f.info("text_projection.weight").shape()).containsExactly(emb, width);
      assertThat(f.info("image_projection.bias").shape()).containsExactly(emb);
    }
  }

  @Test
  void expectedTensorsHaveTheShapesFixtureJsonLists() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(tiny.resolve("expected.safetensors"))) {
      int checked = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = fixture.get("tensors").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (f.contains(e.getKey())) {
          long[] shape = f.info(e.getKey()).shape();
          assertThat(shape).as(e.getKey()).hasSize(e.getValue().size());
          for (int i = 0; i < shape.length; i++) {
            assertThat(shape[i]).as(e.getKey()).isEqualTo(e.getValue().get(i).asLong());
          }
          checked++;
        }
      }
      assertThat(checked).isGreaterThan(20);
    }
  }

  @Test
  void inputsHoldTokenIdsAsLongs() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(tiny.resolve("inputs.safetensors"))) {
      TensorInfo ids = f.info("input_ids");
      assertThat(ids.dtype()).isEqualTo(DType.I64);
      assertThat(ids.shape()).containsExactly(fixture.get("spec").get("batch").asLong(),
          fixture.get("spec").get("max_words").asLong());
      long[] v = f.longs("input_ids");
      // every text starts "this is a chest x ray ...", the same first tokens as the prompt's init ids
      assertThat(v[0]).isEqualTo(fixture.get("prompt").get("init_ids").get(0).asLong());
      assertThat(f.info("pixel_values").shape()).containsExactly(4, 3, 70, 70);
    }
  }

  @Test
  void chunkedMappingGivesTheSameValues() throws IOException {
    Path file = tiny.resolve("text/model.safetensors");
    try (SafetensorsFile whole = SafetensorsFile.open(file); SafetensorsFile chunked = SafetensorsFile.open(file, 60)) {
      assertThat(chunked.floats("h.0.attn.c_attn.weight")).containsExactly(whole.floats("h.0.attn.c_attn.weight"));
      assertThat(chunked.floats("wte.weight", 1000, 77))
          .containsExactly(java.util.Arrays.copyOfRange(whole.floats("wte.weight"), 1000, 1077));
    }
  }
}
