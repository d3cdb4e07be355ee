package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.examples.bench.BenchShape;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cleft bench}: the shapes' checkpoints are the README's shapes, each backend is measured in its own JVM with
 * the runs alternating, the anchor's ratio is computed from its line, and a failing backend is named.
 */
class ModelBenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void cpuSmallIsTheBenchmarkReadmesShape() throws Exception {
    Path dir = BenchShape.CPU_SMALL.writeCheckpoint(tmp.resolve("cpu-small"), Files.createDirectories(
        tmp.resolve("scratch")));
    CleftCheckpoint ckpt = CleftCheckpoint.open(dir);
    JsonNode text = JSON.readTree(ckpt.textDir().resolve("config.json").toFile());
    assertThat(List.of(text.path("model_type").asText(), text.path("n_embd").asInt(), text.path("n_layer").asInt(),
        text.path("n_head").asInt(), text.path("vocab_size").asInt(), text.path("n_positions").asInt()))
        .containsExactly("gpt2", 256, 4, 4, 50257, 64);
    JsonNode vision = JSON.readTree(ckpt.visionDir().resolve("config.json").toFile());
    assertThat(List.of(vision.path("model_type").asText(), vision.path("hidden_size").asInt(),
        vision.path("num_hidden_layers").asInt(), vision.path("num_attention_heads").asInt(),
        vision.path("patch_size").asInt(), vision.path("num_register_tokens").asInt()))
        .containsExactly("dinov2_with_registers", 192, 6, 3, 14, 4);
    JsonNode lora = JSON.readTree(dir.resolve("lora/adapter_config.json").toFile());
    assertThat(lora.path("r").asInt()).isEqualTo(8);
    assertThat(lora.path("lora_dropout").asDouble()).isZero();
    assertThat(lora.path("lora_alpha").asDouble()).isEqualTo(32.0);
    assertThat(lora.path("target_modules").toString()).contains("c_attn");
    assertThat(JSON.readTree(dir.resolve("cleft.json").toFile()).path("vision").path("image_size").asInt())
        .isEqualTo(112);
    assertThat(BenchShape.CPU_SMALL.trainBatch()).isEqualTo(16);
    assertThat(BenchShape.CPU_SMALL.inferBatch()).isEqualTo(32);
  }

  @Test
  void measuresEachInferenceBackendInTurnAndWritesJson() throws Exception {
    Path json = tmp.resolve("bench.json");
    CliRun run = CliRun.of("bench", "--shape", "demo", "--measure", "image,text", "--warmup", "1", "--iterations",
        "2", "--repeats", "2", "--keep", tmp.resolve("k").toString(), "--json", json.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("2 cores".replace("2", String.valueOf(Runtime.getRuntime().availableProcessors())),
        "load average before:", "median ms");
    List<String> order = new ArrayList<>();
    for (String line : run.err().split("\n")) {
      if (line.startsWith("bench    run ")) {
        order.add(line.substring("bench    run ".length()));
      }
    }
    // per rotation: each measure on each backend; then the same again
    assertThat(order).hasSize(12);
    assertThat(order.subList(0, 6)).allMatch(s -> s.startsWith("1/2"));
    assertThat(order.subList(6, 12)).allMatch(s -> s.startsWith("2/2"));
    assertThat(order.get(0)).isEqualTo("1/2: demo image on djl");
    JsonNode doc = JSON.readTree(json.toFile());
    assertThat(doc.path("results")).hasSize(6);
    for (JsonNode r : doc.path("results")) {
      assertThat(r.has("failure")).as(r.toString()).isFalse();
      assertThat(r.path("batch").asInt()).isEqualTo(32);
      assertThat(r.path("run_medians_s")).hasSize(2);
      assertThat(r.path("per_s").asDouble()).isPositive();
      assertThat(r.path("peak_rss_bytes").asLong()).isGreaterThan(50L << 20);
      assertThat(run.out()).containsPattern("demo\\s+" + r.path("measure").asText() + "\\s+"
          + r.path("backend").asText() + "\\s+32\\s");
    }
    assertThat(doc.path("machine").path("load_average_before").asText()).isNotBlank();
  }

  @Test
  void trainsAndComparesWithTheAnchorsLine() throws Exception {
    // a stand-in for torch_bench.py that speaks its protocol: one JSON line with the step times (0.5 s per step)
    Path anchor = tmp.resolve("anchor.sh");
    Files.writeString(anchor, "echo \"{\\\"mode\\\": \\\"$1\\\", \\\"batch\\\": 32, \\\"times\\\": [0.5, 0.5]}\"\n");
    Path json = tmp.resolve("bench.json");
    CliRun run = CliRun.of("bench", "--shape", "demo", "--measure", "train", "--backends", "djl", "--warmup", "1",
        "--iterations", "2", "--repeats", "1", "--keep", tmp.resolve("k").toString(), "--torch-anchor",
        anchor.toString(), "--python", "/bin/sh", "--json", json.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode results = JSON.readTree(json.toFile()).path("results");
    assertThat(results).hasSize(2);
    JsonNode djl = results.get(0);
    JsonNode torch = results.get(1);
    assertThat(djl.path("backend").asText()).isEqualTo("djl");
    assertThat(torch.path("backend").asText()).isEqualTo("pytorch");
    assertThat(torch.path("median_s").asDouble()).isEqualTo(0.5);
    assertThat(djl.path("vs_pytorch").asDouble()).isCloseTo(0.5 / djl.path("median_s").asDouble(),
        within(1e-9));
    assertThat(run.out()).containsPattern("demo\\s+train\\s+djl\\s+32\\s.*x\\n");
  }

  @Test
  void aBackendThatCannotRunIsNamedWithItsError() throws Exception {
    Path ckpt = Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
    try (var files = Files.list(ckpt.resolve("onnx"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(ckpt.resolve("onnx"));
    CliRun run = CliRun.of("bench", "--checkpoint", ckpt.toString(), "--measure", "image", "--backends", "onnx",
        "--warmup", "1", "--iterations", "1", "--repeats", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).containsPattern("tiny\\s+image\\s+onnx\\s+failed: exit 1: .*onnx");
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliRun shape = CliRun.of("bench", "--shape", "paper");
    assertThat(shape.exitCode()).isEqualTo(2);
    assertThat(shape.err()).contains("unknown shape 'paper': use demo or cpu-small");
    CliRun measure = CliRun.of("bench", "--measure", "export");
    assertThat(measure.exitCode()).isEqualTo(2);
    assertThat(measure.err()).contains("--measure: unknown 'export'");
  }
}
