package org.cleft.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.ModelConfig;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.model.dinov2.Dinov2Family;
import org.cleft.model.gpt2.Gpt2Family;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Families are found by model_type: the built-in ones, and one registered only through service files. */
class TowerFamiliesTest {
  @TempDir Path tmp;

  @Test
  void builtInFamiliesAreFoundByModelType() throws Exception {
    ModelConfig text = ModelConfig.read(Fixtures.tiny().resolve("text/config.json"));
    ModelConfig vision = ModelConfig.read(Fixtures.variant("reg_down_gpt2").resolve("vision/config.json"));
    assertThat(TowerFamilies.text((TextConfig) text)).isInstanceOf(Gpt2Family.class);
    assertThat(vision.modelType()).isEqualTo("dinov2_with_registers");
    assertThat(TowerFamilies.vision((VisionConfig) vision)).isInstanceOf(Dinov2Family.class);
  }

  @Test
  void aFamilyRegisteredByServiceFilesReadsItsConfigAndIsFound() throws Exception {
    Path config = tmp.resolve("config.json");
    Files.writeString(config, "{\"model_type\": \"toy_lm\", \"vocab_size\": 99, \"hidden_size\": 6}");
    ModelConfig c = ModelConfig.read(config);
    assertThat(c).isEqualTo(new ToyFamily.ToyConfig(99, 8, 6));
    assertThat(TowerFamilies.text((TextConfig) c)).isInstanceOf(ToyFamily.class);
  }

  @Test
  void anUnknownModelTypeNamesTheKnownOnes() throws Exception {
    Path config = tmp.resolve("config.json");
    Files.writeString(config, "{\"model_type\": \"bert\"}");
    assertThatThrownBy(() -> ModelConfig.read(config)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model_type").hasMessageContaining("'bert'")
        .hasMessageContaining("dinov2, dinov2_with_registers, gpt2, llama, mistral, toy_lm");
    TextConfig unregistered = new TextConfig() {
      @Override
      public String modelType() {
        return "falcon";
      }

      @Override
      public int vocabSize() {
        return 1;
      }

      @Override
      public int maxPositions() {
        return 1;
      }

      @Override
      public int hiddenSize() {
        return 1;
      }

      @Override
      public int effectivePadId() {
        return 0;
      }
    };
    assertThatThrownBy(() -> TowerFamilies.text(unregistered)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no text tower family for model_type 'falcon' (known: gpt2, llama, mistral, toy_lm)");
  }
}
