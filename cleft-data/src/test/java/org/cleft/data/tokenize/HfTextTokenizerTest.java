package org.cleft.data.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cleft.api.TokenBatch;
import org.cleft.data.testing.SafetensorsTestReader;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HfTextTokenizerTest {

  static Stream<Arguments> cases() {
    return Stream.of(Arguments.of("texts", "input_ids", "attention_mask"),
        Arguments.of("zero_shot_texts", "zero_shot_input_ids", "zero_shot_attention_mask"),
        Arguments.of("prompt_texts", "prompt_input_ids", "prompt_attention_mask"));
  }

  private static List<String> texts(String field) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Fixtures.tiny().resolve("fixture.json").toFile());
    List<String> out = new ArrayList<>();
    root.path(field).forEach(n -> out.add(n.asText()));
    assertThat(out).isNotEmpty();
    return out;
  }

  private static void assertMatchesFixture(HfTextTokenizer tokenizer, String field, String idsName,
      String maskName) throws IOException {
    SafetensorsTestReader inputs = SafetensorsTestReader.open(Fixtures.tiny().resolve("inputs.safetensors"));
    List<String> texts = texts(field);
    TokenBatch batch = tokenizer.encode(texts, 16, true);
    assertThat(batch.shape()).containsExactly(inputs.shape(idsName));
    assertThat(batch.ids()).containsExactly(inputs.longs(idsName));
    assertThat(batch.mask()).containsExactly(inputs.longs(maskName));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void tokenizerJsonMatchesFixture(String field, String idsName, String maskName) throws IOException {
    try (HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.tiny().resolve("text"))) {
      assertThat(tokenizer.padId()).isEqualTo(50256);
      assertMatchesFixture(tokenizer, field, idsName, maskName);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void vocabAndMergesMatchFixture(String field, String idsName, String maskName) throws IOException {
    try (HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.gpt2Tokenizer())) {
      assertThat(tokenizer.padId()).isEqualTo(50256);
      assertMatchesFixture(tokenizer, field, idsName, maskName);
    }
  }

  @Test
  void promptNamesAsContinuationsAreTheReferenceIds() throws IOException {
    SafetensorsTestReader inputs = SafetensorsTestReader.open(Fixtures.tiny().resolve("inputs.safetensors"));
    long[] ref = inputs.longs("prompt_input_ids");
    long[] mask = inputs.longs("prompt_attention_mask");
    int width = (int) inputs.shape("prompt_input_ids")[1];
    try (HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.tiny().resolve("text"))) {
      List<String> names = texts("prompt_texts");
      TokenBatch batch = tokenizer.encodeContinuations(names, 16);
      for (int row = 0; row < names.size(); row++) {
        int n = 0;
        while (n < width && mask[row * width + n] == 1) {
          n++;
        }
        assertThat(batch.realLength(row)).as(names.get(row)).isEqualTo(n);
        for (int k = 0; k < n; k++) {
          assertThat(batch.ids()[row * batch.length() + k]).isEqualTo(ref[row * width + k]);
        }
      }
    }
  }

  @Test
  void knownGpt2Ids() {
    try (HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.gpt2Tokenizer())) {
      assertThat(tokenizer.ids("this is a chest x ray of")).containsExactly(5661, 318, 257, 7721, 2124, 26842, 286);
    }
  }

  @Test
  void padsToLongestAndTruncates() {
    try (HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.tiny().resolve("text"))) {
      TokenBatch batch = tokenizer.encode(List.of("this is", "this is a chest x ray of"), 4, false);
      assertThat(batch.length()).isEqualTo(4);
      assertThat(batch.ids()).containsExactly(5661, 318, 50256, 50256, 5661, 318, 257, 7721);
      assertThat(batch.mask()).containsExactly(1, 1, 0, 0, 1, 1, 1, 1);
      TokenBatch shortBatch = tokenizer.encode(List.of("this is", "this"), 16, false);
      assertThat(shortBatch.length()).isEqualTo(2);
      assertThat(shortBatch.realLength(1)).isEqualTo(1);
    }
  }

  @Test
  void closedTokenizerRefusesWork() {
    HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.tiny().resolve("text"));
    tokenizer.close();
    tokenizer.close();
    assertThatThrownBy(() -> tokenizer.ids("x")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tokenizer.json");
  }

  @Test
  void missingTokenizerNamesTheFolder(@TempDir Path dir) {
    assertThatThrownBy(() -> TextTokenizers.fromDirectory(dir)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void badMergeLineNamesTheFile(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.gpt2Tokenizer().resolve("vocab.json"), dir.resolve("vocab.json"));
    Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nĠ t extra\n");
    assertThatThrownBy(() -> TextTokenizers.fromDirectory(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("merges.txt line 2");
  }
}
