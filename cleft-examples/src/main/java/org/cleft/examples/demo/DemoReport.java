package org.cleft.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cleft.api.eval.ZeroShotResult;
import org.cleft.examples.report.Charts;

/** The demo's charts and {@code report.md}. */
final class DemoReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoReport() {}

  /** {@code roc_<name>.png} and {@code confusion_<name>.png}. */
  static void charts(Path out, String name, ZeroShotResult r) throws IOException {
    Charts.rocCurves(r.classNames(), r.scores(), r.labels(), out.resolve("roc_" + name + ".png"));
    Charts.confusionMatrix(r.classNames(), r.confusionMatrix(), out.resolve("confusion_" + name + ".png"));
  }

  /** The training loss per step from a run's {@code metrics.jsonl}. */
  static void lossChart(Path metricsJsonl, Path png) throws IOException {
    List<long[]> steps = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (String line : Files.readAllLines(metricsJsonl, StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(line);
      if ("step".equals(n.path("type").asText())) {
        steps.add(new long[] {n.path("step").asLong()});
        losses.add(n.path("loss").asDouble());
      }
    }
    Charts.lossCurve(steps.stream().mapToLong(s -> s[0]).toArray(), losses.stream().mapToDouble(d -> d).toArray(), png);
  }

  /** {@code report.md}: what ran, the metrics, the charts. */
  static void markdown(Path out, Map<String, Object> m, DemoSettings s) throws IOException {
    String md = String.format(Locale.ROOT, """
        # cleft demo report

        A small CLEFT model trained from scratch on synthetic chest X-rays (five findings, one per image),
        on the embedded default backend (DJL / libtorch on CPU), then context prompt fine-tuned, exported
        to ONNX and run on ONNX Runtime.

        | stage | what | result |
        | --- | --- | --- |
        | data | %d training / %d held-out synthetic PNGs, %d px, model input %d px | `data/` |
        | pre-training | %d steps of %d pairs, AdamW lr %.0e, cosine with warm-up; ViT %dx%d + GPT-2 %dx%d, all trainable | %.1f s, %,d of %,d parameters trainable |
        | zero-shot | "this is a chest x ray of a patient with {class}" | accuracy **%.3f**, macro AUC **%.3f** |
        | prompt tuning | %d context vectors, %d steps of SGD (lr %.0e), towers frozen; checkpoint chosen on the validation split | accuracy **%.3f**, macro AUC **%.3f** |
        | ONNX | export, then ONNX Runtime classification of the held-out images | accuracy %.3f, max abs diff vs DJL %.1e |

        The checkpoint (towers, heads, prompts, `onnx/`) is `%s`; every number is in `metrics.json`.

        ## Training loss

        ![training loss](loss_curve.png)

        ## Zero-shot

        ![ROC curves, zero-shot](roc_zero_shot.png)
        ![confusion matrix, zero-shot](confusion_zero_shot.png)

        ## Prompt-tuned

        ![ROC curves, prompt-tuned](roc_prompt_tuned.png)
        ![confusion matrix, prompt-tuned](confusion_prompt_tuned.png)
        """, s.trainImages(), s.heldOutImages(), s.sourceSize(), s.imageSize(), s.steps(), s.batchSize(),
        s.learningRate(), s.visionLayers(), s.visionWidth(), s.textLayers(), s.textWidth(), num(m, "train_seconds"),
        (long) num(m, "trainable_parameters"), (long) num(m, "total_parameters"), num(m, "zero_shot_accuracy"),
        num(m, "zero_shot_macro_auc"), s.promptContext(), s.promptSteps(), s.promptLearningRate(),
        num(m, "prompt_tuned_accuracy"),
        num(m, "prompt_tuned_macro_auc"), num(m, "onnx_accuracy"), num(m, "onnx_vs_djl_max_abs_diff"),
        m.get("model"));
    Files.writeString(out.resolve("report.md"), md, StandardCharsets.UTF_8);
  }

  private static double num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
