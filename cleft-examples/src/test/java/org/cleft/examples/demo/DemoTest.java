package org.cleft.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shortened demo (few steps, few images) runs every stage and writes every promised file and
 * metric. Accuracy targets belong to the full demo; here only what a short run can guarantee is
 * checked: the engines agree and the numbers are well-formed.
 */
class DemoTest {
  @TempDir
  Path tmp;

  @Test
  void shortDemoWritesTheCheckpointOnnxMetricsChartsAndReport() throws Exception {
    DemoSettings s = DemoSettings.defaults(tmp.resolve("demo")).withSteps(30, 10, 160);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new Demo(s, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    Path out = tmp.resolve("demo");
    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    for (String key : List.of("zero_shot_accuracy", "zero_shot_macro_auc", "prompt_tuned_accuracy",
        "prompt_tuned_macro_auc", "onnx_vs_djl_max_abs_diff", "train_seconds", "trainable_parameters",
        "total_parameters")) {
      assertThat(m.has(key)).as("metrics.json has %s", key).isTrue();
    }
    assertThat(m.get("zero_shot_accuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(m.get("onnx_vs_djl_max_abs_diff").asDouble()).isLessThanOrEqualTo(1e-4);
    // everything trains but the image tower's mask token and final norm (64 wide): CLEFT pools before that norm
    assertThat(m.get("trainable_parameters").asLong()).isEqualTo(m.get("total_parameters").asLong() - 64 * 3);
    for (String png : List.of("loss_curve.png", "roc_zero_shot.png", "confusion_zero_shot.png",
        "roc_prompt_tuned.png", "confusion_prompt_tuned.png")) {
      assertThat(ImageIO.read(out.resolve(png).toFile())).as(png).isNotNull();
    }
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("![training loss](loss_curve.png)").contains("roc_prompt_tuned.png");
    Path model = Path.of(m.get("model").asText());
    assertThat(model.resolve("cleft.json")).isRegularFile();
    assertThat(model.resolve("prompt.safetensors")).isRegularFile();
    assertThat(model.resolve("onnx/image_encoder.onnx")).isRegularFile();
    assertThat(model.resolve("onnx/text_encoder.onnx")).isRegularFile();
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("zeroshot accuracy").contains("onnx");

    // issue 18: the seed, per-class AUC and confusion before and after, the gain, the context's nearest tokens
    assertThat(m.get("seed").asLong()).isZero();
    assertThat(m.get("seeds")).hasSize(1);
    for (String prefix : List.of("zero_shot", "prompt_tuned")) {
      assertThat(m.get(prefix + "_per_class_auc").size()).isEqualTo(5);
      assertThat(m.get(prefix + "_per_class_auc").has("pleural effusion")).isTrue();
      long total = 0;
      for (JsonNode row : m.get(prefix + "_confusion")) {
        assertThat(row).hasSize(5);
        for (JsonNode n : row) {
          total += n.asLong();
        }
      }
      assertThat(total).as(prefix + " confusion counts every held-out image").isEqualTo(s.heldOutImages());
    }
    assertThat(m.get("prompt_gain_accuracy").asDouble()).isCloseTo(
        m.get("prompt_tuned_accuracy").asDouble() - m.get("zero_shot_accuracy").asDouble(), within(1e-12));
    // ten steps of SGD at 1e-4 barely move the context from its initial words: each vector's nearest token is
    // still the word it started as
    List<String> init = List.of("this", " is", " a", " chest", " x", " ray", " of", " a", " patient", " with");
    JsonNode nearest = m.get("context_nearest_tokens");
    assertThat(nearest).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(nearest.get(i)).hasSize(3);
      assertThat(nearest.get(i).get(0).asText()).as("nearest token of context vector " + i).isEqualTo(init.get(i));
    }
    assertThat(report).contains("## What the context learned").contains("| pleural effusion |");
  }

  @Test
  void multiSeedDemoReportsEachRunAndTheGainsMeanAndSpread() throws Exception {
    DemoSettings s = DemoSettings.defaults(tmp.resolve("seeds")).withSteps(8, 4, 64);
    Demo demo = new Demo(s, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    demo.runSeeds(2);
    Path out = tmp.resolve("seeds");
    JsonNode summary = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(summary.get("seeds").toString()).isEqualTo("[0,1]");
    double[] gains = new double[2];
    for (int k = 0; k < 2; k++) {
      JsonNode run = new ObjectMapper().readTree(out.resolve("seed-" + k + "/metrics.json").toFile());
      assertThat(run.get("seed").asLong()).isEqualTo(k);
      gains[k] = run.get("prompt_tuned_accuracy").asDouble() - run.get("zero_shot_accuracy").asDouble();
    }
    assertThat(summary.get("prompt_gain_accuracy").asDouble()).isCloseTo((gains[0] + gains[1]) / 2, within(1e-12));
    // the sample standard deviation of two values is |a - b| / sqrt(2)
    assertThat(summary.get("prompt_gain_accuracy_std").asDouble())
        .isCloseTo(Math.abs(gains[0] - gains[1]) / Math.sqrt(2), within(1e-12));
    assertThat(summary.get("runs")).hasSize(2);
    assertThat(Files.readString(out.resolve("report.md"))).contains("Gain of prompt tuning")
        .contains("[report](seed-1/report.md)");
    assertThat(out.resolve("seed-1/report.md")).isRegularFile();
  }
}
