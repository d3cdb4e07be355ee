package org.cleft.api.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded writing, reading through the index, and choosing the weights of a model directory. */
class ShardedSafetensorsTest {
  @TempDir Path tmp;

  /** Five 400-byte tensors t0..t4 (100 floats each, values i*1000 + j). */
  private static Map<String, Tensor> fiveTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 4; i >= 0; i--) {
      float[] v = new float[100];
      for (int j = 0; j < v.length; j++) {
        v[j] = i * 1000 + j;
      }
      out.put("t" + i, Tensor.ofFloats(new long[] {10, 10}, v));
    }
    return out;
  }

  @Test
  void shardedWriteReadsBackThroughTheIndex() throws IOException {
    Path index = SafetensorsWriter.writeSharded(tmp, "model", fiveTensors(), Map.of("format", "pt"), 1000);
    assertThat(index.getFileName().toString()).isEqualTo("model.safetensors.index.json");
    assertThat(tmp.resolve("model-00001-of-00003.safetensors")).exists();
    assertThat(tmp.resolve("model-00003-of-00003.safetensors")).exists();
    try (ShardedSafetensors s = ShardedSafetensors.open(index)) {
      assertThat(s.names()).containsExactly("t0", "t1", "t2", "t3", "t4");
      assertThat(s.shards()).hasSize(3);
      assertThat(s.metadata()).containsEntry("format", "pt").containsEntry("total_size", "2000");
      assertThat(s.path()).isEqualTo(index);
      for (int i = 0; i < 5; i++) {
        float[] v = s.floats("t" + i);
        assertThat(v[7]).isEqualTo(i * 1000 + 7);
        assertThat(s.info("t" + i).shape()).containsExactly(10, 10);
      }
      assertThat(s.floats("t3", 95, 5)).containsExactly(3095, 3096, 3097, 3098, 3099);
      assertThat(s.raw("t4").remaining()).isEqualTo(400);
      assertThat(s.contains("t9")).isFalse();
      assertThatThrownBy(() -> s.info("t9")).isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("model.safetensors.index.json").hasMessageContaining("'t9'");
    }
    try (SafetensorsFile shard = SafetensorsFile.open(tmp.resolve("model-00002-of-00003.safetensors"))) {
      assertThat(shard.names()).containsExactly("t2", "t3");
      assertThat(shard.metadata()).containsEntry("format", "pt");
    }
    try (TensorSource model = Safetensors.openModel(tmp)) {
      assertThat(model).isInstanceOf(ShardedSafetensors.class);
      assertThat(model.floats("t1")[0]).isEqualTo(1000f);
      assertThatThrownBy(() -> model.longs("t0")).isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("model-00001-of-00003.safetensors").hasMessageContaining("'t0'");
    }
  }

  @Test
  void missingShardIsReportedAtOpen() throws IOException {
    Path index = SafetensorsWriter.writeSharded(tmp, "model", fiveTensors(), null, 1000);
    Files.delete(tmp.resolve("model-00002-of-00003.safetensors"));
    assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("model.safetensors.index.json").hasMessageContaining("model-00002-of-00003.safetensors")
        .hasMessageContaining("'t2'");
  }

  @Test
  void shardLackingAMappedTensorIsReported() throws IOException {
    SafetensorsWriter.write(tmp.resolve("one.safetensors"), Map.of("a", Tensor.ofFloats(new long[] {1}, new float[1])),
        null);
    Path index = tmp.resolve("x.safetensors.index.json");
    Files.writeString(index, "{\"weight_map\": {\"a\": \"one.safetensors\", \"b\": \"one.safetensors\"}}");
    try (ShardedSafetensors s = ShardedSafetensors.open(index)) {
      assertThat(s.floats("a")).containsExactly(0f);
      assertThat(s.metadata()).isEmpty();
      assertThatThrownBy(() -> s.floats("b")).isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("x.safetensors.index.json").hasMessageContaining("'b'")
          .hasMessageContaining("one.safetensors");
      s.close();
      s.close();
      assertThatThrownBy(() -> s.floats("a")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void malformedIndexes() throws IOException {
    Path index = tmp.resolve("bad.safetensors.index.json");
    Files.writeString(index, "{\"metadata\": {}}");
    assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("bad.safetensors.index.json").hasMessageContaining("weight_map");
    Files.writeString(index, "{\"weight_map\": {\"w\": \"../outside.safetensors\"}}");
    assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("'w'").hasMessageContaining("outside");
    Files.writeString(index, "{\"weight_map\": {\"w\": 3}}");
    assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("'w'");
    Files.writeString(index, "not json");
    assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("bad.safetensors.index.json");
  }

  @Test
  void indexWrittenByTheWriterIsTheHuggingFaceLayout() throws IOException {
    Path index = SafetensorsWriter.writeSharded(tmp, "model", fiveTensors(), null, 10_000);
    var json = new ObjectMapper().readTree(index.toFile());
    assertThat(json.get("metadata").get("total_size").isNumber()).isTrue();
    assertThat(json.get("weight_map").get("t4").asText()).isEqualTo("model-00001-of-00001.safetensors");
  }

  @Test
  void openModelPrefersModelSafetensors() throws IOException {
    try (TensorSource text = Safetensors.openModel(TinyFixture.dir().resolve("text"))) {
      assertThat(text).isInstanceOf(SafetensorsFile.class);
      assertThat(text.path().getFileName().toString()).isEqualTo("model.safetensors");
    }
    try (TensorSource lora = Safetensors.openModel(TinyFixture.dir().resolve("lora"))) {
      assertThat(lora.path().getFileName().toString()).isEqualTo("adapter_model.safetensors");
    }
    try (TensorSource heads = Safetensors.openModel(TinyFixture.dir().resolve("heads.safetensors"))) {
      assertThat(heads.contains("logit_scale")).isTrue();
    }
  }

  @Test
  void openModelListsWhatItLookedFor() throws IOException {
    assertThatThrownBy(() -> Safetensors.openModel(tmp)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining(tmp.toString()).hasMessageContaining("model.safetensors")
        .hasMessageContaining("model.safetensors.index.json");
    Map<String, Tensor> one = Map.of("a", Tensor.ofFloats(new long[] {1}, new float[1]));
    SafetensorsWriter.write(tmp.resolve("x.safetensors"), one, null);
    SafetensorsWriter.write(tmp.resolve("y.safetensors"), one, null);
    assertThatThrownBy(() -> Safetensors.openModel(tmp)).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("x.safetensors").hasMessageContaining("y.safetensors");
    assertThatThrownBy(() -> Safetensors.openModel(tmp.resolve("nowhere"))).isInstanceOf(SafetensorsException.class)
        .hasMessageContaining("nowhere");
  }
}
