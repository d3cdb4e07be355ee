package org.cleft.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cleft.api.CleftModel;
import org.cleft.api.Device;
import org.cleft.api.Embeddings;
import org.cleft.api.Precision;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.cleft.testkit.TinyReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint naming the LoRA or IA3 adapter: unmerged and merged give HF's lora.text_embeds / ia3.text_embeds. */
class LoraMergeTest {
  @TempDir Path tmp;

  @Test
  void mergedAndUnmergedLoraMatchHuggingFace() throws Exception {
    mergedAndUnmergedMatch("lora");
  }

  @Test
  void foldedAndUnfoldedIa3MatchHuggingFace() throws Exception {
    mergedAndUnmergedMatch("ia3");
  }

  private void mergedAndUnmergedMatch(String adapter) throws Exception {
    Path dir = tmp.resolve(adapter);
    Fixtures.copy(Fixtures.tiny(), dir);
    // the reference computes IA3 after one contrastive AdamW step: its text projection is the stepped one
    String heads = adapter.equals("ia3") ? "heads_after_step.safetensors" : "heads.safetensors";
    if (adapter.equals("ia3")) {
      Fixtures.writeHeadsAfterStep(dir, heads);
    }
    Files.writeString(dir.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"heads\": \"" + heads
        + "\", \"text\": {\"adapter\": \"" + adapter + "\"}}");
    float[] expected = TinyReference.expected(adapter + ".text_embeds");
    List<String> texts = TinyReference.strings("texts");
    BackendOptions merged = new BackendOptions(Device.cpu(), Precision.FP32, Map.of(DjlCleftModel.MERGE_ADAPTER, "true"));
    for (BackendOptions options : List.of(BackendOptions.defaults(), merged)) {
      try (DjlBackend backend = new DjlBackend(options); CleftModel model = backend.load(dir)) {
        Embeddings e = model.textEncoder().encode(model.textEncoder().tokenizer().encode(texts, 16, true));
        assertThat(TinyReference.maxAbsDiff(e.data(), expected)).as(options.toString()).isLessThan(1e-4);
        assertThat(((DjlCleftModel) model).adapter().parameters().isEmpty()).isEqualTo(options == merged);
      }
    }
  }
}
