package org.cleft.api.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path tmp;

  @Test
  void readsTheReferenceLayout() throws IOException {
    CleftCheckpoint c = CleftCheckpoint.open(ApiFixtures.tiny());
    assertThat(c.textConfig()).isEqualTo(new Gpt2Config(50257, 64, 32, 2, 4, 128, "gelu_new", 1e-5, true, false,
        false, 50256, 50256, null, 0.0, 0.0, 0.0));
    Dinov2Config v = (Dinov2Config) c.visionConfig();
    assertThat(v.withRegisters()).isTrue();
    assertThat(v.numRegisterTokens()).isEqualTo(4);
    assertThat(v.patchSize()).isEqualTo(14);
    assertThat(v.imageSize()).isEqualTo(56);
    assertThat(v.mlpHiddenSize()).isEqualTo(128);
    assertThat(v.layerNormEps()).isEqualTo(1e-6);
    assertThat(c.adapter()).isEmpty();
    assertThat(c.adapterFolders()).extracting(p -> p.getFileName().toString())
        .containsExactly("ia3", "lora", "prefix");
    assertThat(c.headsFile()).isRegularFile();
  }

  @Test
  void readsThePeftConfigs() throws CheckpointException {
    LoraConfig lora = (LoraConfig) PeftConfig.read(ApiFixtures.tiny().resolve("lora/adapter_config.json"));
    assertThat(lora.r()).isEqualTo(8);
    assertThat(lora.scaling("h.0.attn.c_attn")).isEqualTo(4.0);
    assertThat(lora.fanInFanOut()).isTrue();
    assertThat(lora.targets("h.1.attn.c_attn")).isTrue();
    assertThat(lora.targets("h.1.attn.c_proj")).isFalse();
    Ia3Config ia3 = (Ia3Config) PeftConfig.read(ApiFixtures.tiny().resolve("ia3/adapter_config.json"));
    assertThat(ia3.targets("h.0.mlp.c_proj")).isTrue();
    assertThat(ia3.isFeedforward("h.0.mlp.c_proj")).isTrue();
    assertThat(ia3.targets("h.0.attn.c_proj")).isFalse();
    assertThat(ia3.isFeedforward("h.0.attn.c_attn")).isFalse();
    PrefixTuningConfig prefix = (PrefixTuningConfig) PeftConfig.read(ApiFixtures.tiny().resolve("prefix/adapter_config.json"));
    assertThat(prefix.numVirtualTokens()).isEqualTo(4);
    assertThat(prefix.numLayers()).isEqualTo(2);
  }

  @Test
  void absentKeysTakeHuggingFaceDefaults() throws IOException {
    Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
    Gpt2Config g = (Gpt2Config) ModelConfig.read(tmp.resolve("config.json"));
    assertThat(g.nEmbd()).isEqualTo(768);
    assertThat(g.nInner()).isEqualTo(3072);
    assertThat(g.nPositions()).isEqualTo(1024);
    assertThat(g.activationFunction()).isEqualTo("gelu_new");
    Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"dinov2\"}");
    Dinov2Config d = (Dinov2Config) ModelConfig.read(tmp.resolve("config.json"));
    assertThat(d.numRegisterTokens()).isZero();
    assertThat(d.hiddenSize()).isEqualTo(768);
    Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"dinov2_with_registers\"}");
    assertThat(((Dinov2Config) ModelConfig.read(tmp.resolve("config.json"))).numRegisterTokens()).isEqualTo(4);
    Files.writeString(tmp.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"target_modules\": \"c_attn\"}");
    LoraConfig l = (LoraConfig) PeftConfig.read(tmp.resolve("adapter_config.json"));
    assertThat(l.loraAlpha()).isEqualTo(8);
    assertThat(l.targetsAreRegex()).isTrue();
    assertThat(l.targets("h.0.attn.c_attn")).isFalse(); // a string is a full-match regex in peft
    assertThat(l.targets("c_attn")).isTrue();
  }

  @Test
  void unknownTypesAndBadFieldsNameTheFileAndField() throws IOException {
    Path config = tmp.resolve("config.json");
    Files.writeString(config, "{\"model_type\": \"falcon\"}");
    assertThatThrownBy(() -> ModelConfig.read(config)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(config.toString()).hasMessageContaining("'falcon'");
    Files.writeString(config, "{\"model_type\": \"gpt2\", \"n_embd\": \"wide\"}");
    assertThatThrownBy(() -> ModelConfig.read(config)).hasMessageContaining("'n_embd'");
    Files.writeString(config, "{\"model_type\": \"gpt2\", \"n_embd\": 30, \"n_head\": 4}");
    assertThatThrownBy(() -> ModelConfig.read(config)).hasMessageContaining("n_head");
    Path adapter = tmp.resolve("adapter_config.json");
    Files.writeString(adapter, "{\"peft_type\": \"ADALORA\"}");
    assertThatThrownBy(() -> PeftConfig.read(adapter)).hasMessageContaining("'ADALORA'");
    assertThatThrownBy(() -> ModelConfig.read(tmp.resolve("absent.json"))).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("absent.json");
  }

  @Test
  void manifestRoundTripsAndSelectsTheAdapter() throws IOException {
    Path dir = tmp.resolve("ckpt");
    copyTree(ApiFixtures.tiny(), dir);
    CleftManifest m = CleftManifest.defaults().withAdapter("lora")
        .withPrompt(new CleftManifest.Prompt("prompt.safetensors", 8, "this is", List.of("a", "b")))
        .withProvenance(Map.of("backend", "djl", "seed", 7));
    Files.writeString(dir.resolve("prompt.safetensors"), "placeholder");
    m.write(dir.resolve(CleftCheckpoint.MANIFEST));
    CleftManifest back = CleftManifest.read(dir.resolve(CleftCheckpoint.MANIFEST));
    assertThat(back).isEqualTo(m);
    CleftCheckpoint c = CleftCheckpoint.open(dir);
    assertThat(c.adapter()).map(a -> a.config().peftType()).contains("LORA");
    assertThat(c.promptFile()).contains(dir.resolve("prompt.safetensors"));
  }

  @Test
  void missingPartsAreNamed() throws IOException {
    Path dir = tmp.resolve("ckpt");
    copyTree(ApiFixtures.tiny(), dir);
    Files.delete(dir.resolve("heads.safetensors"));
    assertThatThrownBy(() -> CleftCheckpoint.open(dir)).hasMessageContaining("heads.safetensors");
    assertThatThrownBy(() -> CleftCheckpoint.open(tmp.resolve("nowhere"))).hasMessageContaining("nowhere");
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
