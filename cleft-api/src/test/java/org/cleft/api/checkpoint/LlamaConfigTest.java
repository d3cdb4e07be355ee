package org.cleft.api.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LLaMA / Mistral configs: HF's defaults, grouped-query heads, the rope settings, and errors naming the field. */
class LlamaConfigTest {
  @TempDir
  Path tmp;

  private LlamaConfig read(String json) throws Exception {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, json);
    return (LlamaConfig) ModelConfig.read(f);
  }

  @Test
  void defaultsAreHfsLlamaConfig() throws Exception {
    LlamaConfig c = read("{\"model_type\": \"llama\"}");
    assertThat(c.hiddenSize()).isEqualTo(4096);
    assertThat(c.intermediateSize()).isEqualTo(11008);
    assertThat(c.numHiddenLayers()).isEqualTo(32);
    assertThat(c.numKeyValueHeads()).isEqualTo(32);
    assertThat(c.headDim()).isEqualTo(128);
    assertThat(c.vocabSize()).isEqualTo(32000);
    assertThat(c.maxPositions()).isEqualTo(2048);
    assertThat(c.rmsNormEps()).isEqualTo(1e-6);
    assertThat(c.rope().type()).isEqualTo("default");
    assertThat(c.rope().theta()).isEqualTo(10000);
    assertThat(c.effectivePadId()).isEqualTo(2);
    assertThat(c.attentionBias()).isFalse();
  }

  @Test
  void groupedQueryHeadsHeadDimAndEosListsAreRead() throws Exception {
    LlamaConfig c = read("{\"model_type\": \"llama\", \"hidden_size\": 2048, \"num_attention_heads\": 32, "
        + "\"num_key_value_heads\": 8, \"head_dim\": 64, \"eos_token_id\": [128001, 128008], \"pad_token_id\": null, "
        + "\"attention_bias\": true, \"mlp_bias\": true}");
    assertThat(c.groups()).isEqualTo(4);
    assertThat(c.headDim()).isEqualTo(64);
    assertThat(c.effectivePadId()).isEqualTo(128001);
    assertThat(c.attentionBias()).isTrue();
    assertThat(c.mlpBias()).isTrue();
  }

  @Test
  void ropeScalingMatchesHfsInverseFrequencies() throws Exception {
    // expected values: torch float32, HF's _compute_llama3_parameters / linear scaling (tools/llama-reference)
    LlamaConfig llama3 = read("{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 4, "
        + "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 4.0, \"low_freq_factor\": 1.0, "
        + "\"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 16}}");
    float[] inv = llama3.rope().inverseFrequencies(16);
    float[] hf = {0.6366197466850281f, 0.07905694097280502f, 0.02500000037252903f, 0.007905694656074047f,
        0.0024999999441206455f, 0.0007905694656074047f, 0.0002500000118743628f, 7.905694656074047e-05f};
    for (int i = 0; i < hf.length; i++) {
      assertThat(inv[i]).as("llama3 inv_freq[%d]", i).isCloseTo(hf[i], within(Math.ulp(hf[i]) * 2));
    }
    LlamaConfig linear = read("{\"model_type\": \"llama\", \"hidden_size\": 48, \"num_attention_heads\": 4, "
        + "\"head_dim\": 16, \"rope_theta\": 500000.0, \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}}");
    float[] lin = linear.rope().inverseFrequencies(16);
    float[] hfLinear = {0.5f, 0.0969613790512085f, 0.01880301535129547f, 0.00364633253775537f,
        0.000707106722984463f, 0.00013712409418076277f, 2.6591478672344238e-05f, 5.156692623131676e-06f};
    for (int i = 0; i < hfLinear.length; i++) {
      assertThat(lin[i]).as("linear inv_freq[%d]", i).isCloseTo(hfLinear[i], within(Math.ulp(hfLinear[i]) * 2));
    }
    LlamaConfig v5 = read("{\"model_type\": \"llama\", \"rope_parameters\": {\"rope_type\": \"linear\", "
        + "\"rope_theta\": 1000.0, \"factor\": 3.0}}");
    assertThat(v5.rope().theta()).isEqualTo(1000.0);
    assertThat(v5.rope().factor()).isEqualTo(3.0);
  }

  @Test
  void mistralsWindowBoundsTheSequence() throws Exception {
    assertThat(read("{\"model_type\": \"mistral\"}").maxPositions()).isEqualTo(4096);
    assertThat(read("{\"model_type\": \"mistral\", \"sliding_window\": null}").maxPositions()).isEqualTo(131072);
    assertThat(read("{\"model_type\": \"mistral\", \"sliding_window\": 512, \"max_position_embeddings\": 2048}")
        .maxPositions()).isEqualTo(512);
  }

  @Test
  void unsupportedSettingsNameTheFieldAndTheFile() {
    assertThatThrownBy(() -> read("{\"model_type\": \"llama\", \"rope_scaling\": {\"type\": \"yarn\", \"factor\": 2}}"))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("config.json")
        .hasMessageContaining("rope_scaling").hasMessageContaining("'yarn'").hasMessageContaining("llama3");
    assertThatThrownBy(() -> read("{\"model_type\": \"llama\", \"num_attention_heads\": 32, \"num_key_value_heads\": 5}"))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("num_key_value_heads 5");
    assertThatThrownBy(() -> read("{\"model_type\": \"llama\", \"hidden_size\": 100, \"num_attention_heads\": 3}"))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("hidden_size");
  }
}
