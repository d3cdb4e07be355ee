package org.cleft.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

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
  }
}
