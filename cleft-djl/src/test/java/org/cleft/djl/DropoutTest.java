package org.cleft.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleft.api.Embeddings;
import org.cleft.api.checkpoint.Gpt2Config;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.cleft.testkit.TinyReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA and GPT-2 dropout act in training mode only: inference is deterministic and equals the reference. */
class DropoutTest {
  @TempDir Path tmp;

  @Test
  void dropoutChangesOutputsOnlyInTrainingMode() throws Exception {
    Path dir = Fixtures.copy(Fixtures.tiny(), tmp.resolve("ckpt"));
    Files.writeString(dir.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"text\": {\"adapter\": \"lora\"}}");
    Path config = dir.resolve("lora/adapter_config.json");
    Files.writeString(config, Files.readString(config).replace("\"lora_dropout\": 0.0", "\"lora_dropout\": 0.5"));
    List<String> texts = TinyReference.strings("texts");
    try (DjlCleftModel model = DjlCleftModel.load(dir, BackendOptions.defaults())) {
      Embeddings eval1 = model.textEncoder().encode(model.textEncoder().tokenizer().encode(texts, 16, true));
      model.network().setTraining(true);
      Embeddings train1 = model.textEncoder().encode(model.textEncoder().tokenizer().encode(texts, 16, true));
      Embeddings train2 = model.textEncoder().encode(model.textEncoder().tokenizer().encode(texts, 16, true));
      model.network().setTraining(false);
      Embeddings eval2 = model.textEncoder().encode(model.textEncoder().tokenizer().encode(texts, 16, true));
      assertThat(eval2.data()).containsExactly(eval1.data());
      // in inference mode dropout is off, so the outputs are HF's (which ran the adapter with dropout 0)
      assertThat(TinyReference.maxAbsDiff(eval1.data(), TinyReference.expected("lora.text_embeds"))).isLessThan(1e-4);
      assertThat(train1.data()).isNotEqualTo(eval1.data());
      assertThat(train1.data()).isNotEqualTo(train2.data());
    }
  }

  @Test
  void gpt2DropoutActsInTrainingModeOnly() throws Exception {
    Path dir = Fixtures.copy(Fixtures.tiny(), tmp.resolve("ckpt2"));
    Path config = dir.resolve("text/config.json");
    Files.writeString(config, Files.readString(config).replace("\"attn_pdrop\": 0.0", "\"attn_pdrop\": 0.1")
        .replace("\"resid_pdrop\": 0.0", "\"resid_pdrop\": 0.1").replace("\"embd_pdrop\": 0.0", "\"embd_pdrop\": 0.1"));
    List<String> texts = TinyReference.strings("texts");
    try (DjlCleftModel model = DjlCleftModel.load(dir, BackendOptions.defaults())) {
      assertThat(((Gpt2Config) model.source().textConfig()).attnPdrop()).isEqualTo(0.1);
      Embeddings eval1 = model.textEncoder().encode(model.textEncoder().tokenizer().encode(texts, 16, true));
      model.network().setTraining(true);
      Embeddings train1 = model.textEncoder().encode(model.textEncoder().tokenizer().encode(texts, 16, true));
      model.network().setTraining(false);
      Embeddings eval2 = model.textEncoder().encode(model.textEncoder().tokenizer().encode(texts, 16, true));
      assertThat(eval2.data()).containsExactly(eval1.data());
      assertThat(TinyReference.maxAbsDiff(eval1.data(), TinyReference.expected("text_embeds"))).isLessThan(1e-4);
      assertThat(train1.data()).isNotEqualTo(eval1.data());
    }
  }
}
