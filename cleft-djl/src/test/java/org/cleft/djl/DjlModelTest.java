package org.cleft.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cleft.testkit.TinyReference;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.Embeddings;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendResolver;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public API end to end on the tiny fixture: tokenizer, towers, heads, zero-shot. */
class DjlModelTest {
  private static Backend backend;
  private static CleftModel model;

  @BeforeAll
  static void load() throws Exception {
    backend = Backends.open(Capability.INFERENCE, "djl", BackendOptions.defaults());
    model = backend.load(Fixtures.tiny());
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  @Test
  void providerIsFoundWithItsCapabilities() {
    assertThat(BackendResolver.fromServiceLoader().resolve(Capability.TRAINING).name()).isEqualTo("djl");
    assertThat(new DjlBackendProvider().capabilities()).contains(Capability.TRAINING, Capability.INFERENCE);
  }

  @Test
  void offlineModeAndTrackingOptOutAreSetByTheSdk() {
    assertThat(System.getProperty(DjlEngine.OFFLINE)).isEqualTo("true");
    assertThat(System.getProperty(DjlEngine.OPT_OUT_TRACKING)).isEqualTo("true");
    assertThat(ai.djl.util.Utils.isOfflineMode()).isTrue();
  }

  @Test
  void paddingLengthDoesNotChangeTextEmbeddings() throws Exception {
    var tok = model.textEncoder().tokenizer();
    List<String> texts = TinyReference.strings("zero_shot_texts");
    Embeddings tight = model.textEncoder().encode(tok.encode(texts, 64, false));
    Embeddings wide = model.textEncoder().encode(tok.encode(texts, 40, true));
    assertThat(TinyReference.maxAbsDiff(tight.data(), wide.data())).isLessThan(1e-5);
    assertThat(TinyReference.maxAbsDiff(tight.data(), TinyReference.expected("zero_shot.text_embeds"))).isLessThan(1e-4);
  }

  @Test
  void logitScaleIsReadFromTheHeads() {
    assertThat(model.logitScale()).isCloseTo((float) Math.log(1 / 0.07), org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(model.promptTuned()).isEmpty();
  }
}
