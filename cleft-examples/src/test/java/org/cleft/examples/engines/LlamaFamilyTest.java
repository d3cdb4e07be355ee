package org.cleft.examples.engines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cleft.api.TokenBatch;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.LlamaConfig;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.examples.cli.CleftCli;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The LLaMA family on every engine: the LLaMA reference fixtures (tools/llama-reference) verify on djl, tf and onnx,
 * the export round trip holds, the tokenizer gives the reference ids (BOS, byte fallback), and a LLaMA text tower
 * trains with LoRA, exports and classifies from the command line.
 */
class LlamaFamilyTest {
  @TempDir
  Path tmp;

  static Stream<String> fixtures() {
    return Fixtures.llamaNames().stream();
  }

  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CleftCli.newCommandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void verifiesOnEveryEngineAndAfterAFreshExport(String name) throws Exception {
    Path fixture = Fixtures.llama(name);
    for (String backend : List.of("djl", "tf")) {
      Run r = cli("verify", "--fixture", fixture.toString(), "--backend", backend, "--out",
          tmp.resolve(backend + ".safetensors").toString());
      assertThat(r.code()).as(backend + "\n" + r.out() + r.err()).isZero();
      assertThat(r.out()).as(backend).contains("50 passed, 0 failed, 0 noise");
      // the vision tower's training tensors have no reference in these fixtures
      assertThat(r.out()).as(backend).containsPattern("train\\.grad\\.vision\\.embeddings\\.cls_token .* ONLY");
    }
    Path copy = Fixtures.copy(fixture, tmp.resolve("copy"));
    try (Stream<Path> files = Files.list(copy.resolve("onnx"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Run export = cli("export", "--checkpoint", copy.toString(), "--out", copy.resolve("onnx").toString());
    assertThat(export.code()).as(export.out() + export.err()).isZero();
    Run onnx = cli("verify", "--fixture", copy.toString(), "--backend", "onnx", "--out",
        tmp.resolve("onnx.safetensors").toString());
    assertThat(onnx.code()).as(onnx.out() + onnx.err()).isZero();
    assertThat(onnx.out()).contains("7 passed, 0 failed");
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void theTokenizerGivesTheReferenceIdsWithBosAndByteFallback(String name) throws Exception {
    Path fixture = Fixtures.llama(name);
    List<String> texts = new ArrayList<>();
    new ObjectMapper().readTree(fixture.resolve("fixture.json").toFile())
        .path("texts").forEach(t -> texts.add(t.asText()));
    assertThat(texts.get(texts.size() - 1)).contains("\u00e9");
    try (HfTextTokenizer tok = TextTokenizers.fromDirectory(fixture.resolve("text"));
        SafetensorsFile inputs = SafetensorsFile.open(fixture.resolve("inputs.safetensors"))) {
      assertThat(tok.specialPrefix()).isEqualTo(1);
      assertThat(tok.specialSuffix()).isZero();
      LlamaConfig c = (LlamaConfig) CleftCheckpoint.open(fixture).textConfig();
      assertThat(tok.padId()).isEqualTo(c.eosTokenId());
      TokenBatch batch = tok.encode(texts, 16, false);
      assertThat(batch.ids()).containsExactly(inputs.longs("input_ids"));
      assertThat(batch.mask()).containsExactly(inputs.longs("attention_mask"));
      // a class name after the prompt context reads as inside a sentence: one token, no extra word boundary
      long nameId = tok.ids("atelectasis")[0];
      assertThat(tok.ids("atelectasis")).hasSize(1);
      assertThat(tok.encodeContinuations(List.of(" atelectasis"), 8).ids()).containsExactly(1L, nameId);
      assertThat(tok.encode(List.of(" atelectasis"), 8, false).ids()).hasSize(3); // alone: BOS, "▁", name
      // the prompt learners' class tokens are the fixture's
      List<String> names = new ArrayList<>();
      new ObjectMapper().readTree(fixture.resolve("fixture.json").toFile()).path("prompt_texts")
          .forEach(t -> names.add(t.asText()));
      TokenBatch classes = tok.encodeContinuations(names, 16);
      assertThat(classes.ids()).containsExactly(inputs.longs("prompt_input_ids"));
      assertThat(classes.mask()).containsExactly(inputs.longs("prompt_attention_mask"));
      // truncation keeps BOS
      TokenBatch cut = tok.encode(List.of(texts.get(0)), 3, false);
      assertThat(cut.ids()).containsExactly(1L, inputs.longs("input_ids")[1], inputs.longs("input_ids")[2]);
    }
  }

  @Test
  void aLlamaTowerTrainsWithLoraPromptTunesExportsAndClassifies() throws Exception {
    Path fixture = Fixtures.llama("gqa_llama3");
    Path data = SyntheticChestXrays.write(tmp.resolve("data"), 12, 10, 3, new ChestXrayGenerator(64, 0.4));
    Run train = cli("train", "--text", fixture.resolve("text").toString(), "--vision",
        fixture.resolve("vision").toString(), "--manifest", data.resolve("train_manifest.csv").toString(), "--out",
        tmp.resolve("run").toString(), "--steps", "3", "--warmup", "0", "--batch-size", "4", "--threads", "1");
    assertThat(train.code()).as(train.out() + train.err()).isZero();
    Path ckpt = tmp.resolve("run/final");
    assertThat(ckpt.resolve("lora/adapter_model.safetensors")).isRegularFile();
    try (SafetensorsFile lora = SafetensorsFile.open(ckpt.resolve("lora/adapter_model.safetensors"))) {
      assertThat(lora.names()).contains("base_model.model.layers.0.self_attn.q_proj.lora_A.weight",
          "base_model.model.layers.1.self_attn.v_proj.lora_B.weight");
      assertThat(lora.names()).noneMatch(n -> n.contains("k_proj") || n.contains("mlp"));
    }
    Run prompt = cli("prompt-tune", "--model", ckpt.toString(), "--manifest",
        data.resolve("train_manifest.csv").toString(), "--out", tmp.resolve("prompt").toString(), "--steps", "2",
        "--batch-size", "4", "--threads", "1", "--backend", "tf");
    assertThat(prompt.code()).as(prompt.out() + prompt.err()).isZero();
    Path tuned = tmp.resolve("prompt/final");
    Run export = cli("export", "--checkpoint", tuned.toString(), "--out", tuned.resolve("onnx").toString());
    assertThat(export.code()).as(export.out() + export.err()).isZero();
    Path image;
    try (Stream<Path> pngs = Files.walk(data)) {
      image = pngs.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
    }
    for (String backend : List.of("djl", "onnx", "tf")) {
      Run classify = cli("classify", "--model", tuned.toString(), "--backend", backend, image.toString());
      assertThat(classify.code()).as(backend + "\n" + classify.out() + classify.err()).isZero();
      assertThat(classify.out()).as(backend).contains(image.getFileName().toString());
    }
  }

  @Test
  void loraTargetsAllLinearOrAListAndABadTargetIsNamed() throws Exception {
    Path fixture = Fixtures.llama("mha_linear_bias");
    Path data = SyntheticChestXrays.write(tmp.resolve("data"), 8, 4, 3, new ChestXrayGenerator(64, 0.4));
    Run all = cli("train", "--text", fixture.resolve("text").toString(), "--vision",
        fixture.resolve("vision").toString(), "--manifest", data.resolve("train_manifest.csv").toString(), "--out",
        tmp.resolve("all").toString(), "--steps", "1", "--warmup", "0", "--batch-size", "4", "--threads", "1",
        "--lora-targets", "all-linear");
    assertThat(all.code()).as(all.out() + all.err()).isZero();
    try (SafetensorsFile lora = SafetensorsFile.open(tmp.resolve("all/final/lora/adapter_model.safetensors"))) {
      for (String m : List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")) {
        assertThat(lora.names()).as(m).contains("base_model.model.layers.1." + (m.endsWith("proj") && m.length() == 6
            ? "self_attn." : "mlp.") + m + ".lora_A.weight");
      }
    }
    Run bad = cli("train", "--text", fixture.resolve("text").toString(), "--vision",
        fixture.resolve("vision").toString(), "--manifest", data.resolve("train_manifest.csv").toString(), "--out",
        tmp.resolve("bad").toString(), "--steps", "1", "--warmup", "0", "--lora-targets", "q_proj,c_attn");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("LoRA target 'c_attn' names no linear module of this LLaMA tower",
        "down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj");
  }

  @Test
  void aTokenizerThatIsNotTheModelsIsNamedWithBothSizes() throws Exception {
    Path texts = Files.writeString(tmp.resolve("texts.txt"), "no finding\n");
    Path other = Fixtures.copy(Fixtures.llama("gqa_llama3"), tmp.resolve("other"));
    for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
      Files.copy(Fixtures.tiny().resolve("text").resolve(f), other.resolve("text").resolve(f),
          StandardCopyOption.REPLACE_EXISTING);
    }
    for (String backend : List.of("djl", "onnx", "tf")) {
      Run r = cli("embed", "--model", other.toString(), "--texts", texts.toString(), "--out",
          tmp.resolve("o.safetensors").toString(), "--backend", backend);
      assertThat(r.code()).as(backend + r.err()).isEqualTo(1);
      assertThat(r.err()).as(backend).contains(other.resolve("text/tokenizer.json").toString(), "ids up to 50256",
          "vocabulary has 424", "the tokenizer is not this model's").doesNotContain("internal error");
    }
    // a pad token added just past the embedding table is named as the padding id
    Path pad = Fixtures.copy(Fixtures.llama("gqa_llama3"), tmp.resolve("pad"));
    Path tokenizer = pad.resolve("text/tokenizer.json");
    Files.writeString(tokenizer, Files.readString(tokenizer).replaceFirst("\"added_tokens\": \\[",
        "\"added_tokens\": [{\"id\": 424, \"content\": \"<pad>\", \"single_word\": false, \"lstrip\": false, "
            + "\"rstrip\": false, \"normalized\": false, \"special\": true}, "));
    Path config = pad.resolve("text/tokenizer_config.json");
    Files.writeString(config, Files.readString(config).replace("\"pad_token\": null", "\"pad_token\": \"<pad>\""));
    Run r = cli("embed", "--model", pad.toString(), "--texts", texts.toString(), "--out",
        tmp.resolve("p.safetensors").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("the padding id 424", "vocabulary of 424", "pad_token");
  }
}
