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

        A small CLEFT model trained from scratch on synthetic chest X-rays and their reports (written as radiology
        reports read: findings and impression, synonyms, sides and sizes, negations such as "No pleural effusion"),
        on the embedded default backend (DJL / libtorch on CPU), evaluated zero-shot with the plain template, then
        context prompt fine-tuned, exported to ONNX and run on ONNX Runtime. Seed %d.

        | stage | what | result |
        | --- | --- | --- |
        | data | %d training (a second finding in every fourth) / %d validation / %d held-out synthetic PNGs (one finding each), %d px, model input %d px | `data/` |
        | pre-training | %d steps of %d image-report pairs, AdamW lr %.0e, cosine with warm-up; ViT %dx%d + GPT-2 %dx%d, all trainable | %.1f s, %,d of %,d parameters trainable |
        | zero-shot | "this is a chest x ray of a patient with {class}" | accuracy **%.3f**, macro AUC **%.3f** |
        | prompt tuning | %d context vectors, %d steps of SGD (lr %.0e), towers frozen; checkpoint chosen on the validation split | accuracy **%.3f**, macro AUC **%.3f** |
        | gain | prompt-tuned minus zero-shot, held-out images | accuracy **%+.3f**, macro AUC **%+.3f** |
        | ONNX | export, then ONNX Runtime classification of the held-out images | accuracy %.3f, max abs diff vs the training backend %.1e |

        The checkpoint (towers, heads, prompts, `onnx/`) is `%s`; every number is in `metrics.json`.

        ## Per class (held-out AUC)

        %s
        ## Confusion matrices (rows: truth, columns: prediction)

        Zero-shot:

        %s
        Prompt-tuned:

        %s
        ## What the context learned

        The learned context vectors live in the text tower's input embedding space; their nearest vocabulary tokens
        (cosine similarity; the context starts as the embeddings of "this is a chest x ray of a patient with"):

        %s

        ## Training loss

        ![training loss](loss_curve.png)

        ## Zero-shot

        ![ROC curves, zero-shot](roc_zero_shot.png)
        ![confusion matrix, zero-shot](confusion_zero_shot.png)

        ## Prompt-tuned

        ![ROC curves, prompt-tuned](roc_prompt_tuned.png)
        ![confusion matrix, prompt-tuned](confusion_prompt_tuned.png)
        """, (long) num(m, "seed"), s.trainImages(), s.heldOutImages(), s.heldOutImages(), s.sourceSize(),
        s.imageSize(), s.steps(), s.batchSize(), s.learningRate(), s.visionLayers(), s.visionWidth(), s.textLayers(),
        s.textWidth(), num(m, "train_seconds"), (long) num(m, "trainable_parameters"), (long) num(m,
        "total_parameters"), num(m, "zero_shot_accuracy"), num(m, "zero_shot_macro_auc"), s.promptContext(),
        s.promptSteps(), s.promptLearningRate(), num(m, "prompt_tuned_accuracy"), num(m, "prompt_tuned_macro_auc"),
        num(m, "prompt_gain_accuracy"), num(m, "prompt_gain_macro_auc"), num(m, "onnx_accuracy"),
        num(m, "onnx_vs_djl_max_abs_diff"), m.get("model"), aucTable(m), confusionTable(m, "zero_shot"),
        confusionTable(m, "prompt_tuned"), contextList(m));
    Files.writeString(out.resolve("report.md"), md, StandardCharsets.UTF_8);
  }

  /** The top-level {@code report.md} of a multi-seed demo: each run and the gain's mean and spread. */
  @SuppressWarnings("unchecked")
  static void seedsMarkdown(Path out, Map<String, Object> summary, DemoSettings s) throws IOException {
    StringBuilder rows = new StringBuilder();
    for (Map<String, Object> run : (List<Map<String, Object>>) summary.get("runs")) {
      rows.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %+.3f | %.3f | %.3f | %+.3f | [report](seed-%d/report.md) |%n",
          ((Number) run.get("seed")).longValue(), num(run, "zero_shot_accuracy"), num(run, "prompt_tuned_accuracy"),
          num(run, "prompt_gain_accuracy"), num(run, "zero_shot_macro_auc"), num(run, "prompt_tuned_macro_auc"),
          num(run, "prompt_gain_macro_auc"), ((Number) run.get("seed")).longValue()));
    }
    String md = String.format(Locale.ROOT, """
        # cleft demo over %d seeds

        The whole demo (data, pre-training on the synthetic reports, zero-shot with the plain template, context prompt
        fine-tuning chosen on the validation split, ONNX) once per seed; every number is on the held-out images.

        | seed | zero-shot accuracy | prompt-tuned accuracy | gain | zero-shot macro AUC | prompt-tuned macro AUC | gain | |
        | --- | --- | --- | --- | --- | --- | --- | --- |
        %s
        **Gain of prompt tuning** (mean +- sample standard deviation over the seeds): accuracy **%+.3f +- %.3f**,
        macro AUC **%+.3f +- %.3f**. Zero-shot accuracy %.3f +- %.3f, prompt-tuned %.3f +- %.3f.

        Settings: %d pre-training steps, %d prompt-tuning steps, %d training images.
        """, ((List<?>) summary.get("seeds")).size(), rows, num(summary, "prompt_gain_accuracy"),
        num(summary, "prompt_gain_accuracy_std"), num(summary, "prompt_gain_macro_auc"),
        num(summary, "prompt_gain_macro_auc_std"), num(summary, "zero_shot_accuracy"),
        num(summary, "zero_shot_accuracy_std"), num(summary, "prompt_tuned_accuracy"),
        num(summary, "prompt_tuned_accuracy_std"), s.steps(), s.promptSteps(), s.trainImages());
    Files.writeString(out.resolve("report.md"), md, StandardCharsets.UTF_8);
  }

  /** One line: each context vector's nearest tokens, quoted. */
  static String contextLine(List<List<String>> nearest) {
    List<String> parts = new ArrayList<>();
    for (List<String> tokens : nearest) {
      parts.add(tokens.stream().map(t -> "'" + t + "'").collect(java.util.stream.Collectors.joining("/")));
    }
    return String.join(" ", parts);
  }

  @SuppressWarnings("unchecked")
  private static String aucTable(Map<String, Object> m) {
    Map<String, Double> before = (Map<String, Double>) m.get("zero_shot_per_class_auc");
    Map<String, Double> after = (Map<String, Double>) m.get("prompt_tuned_per_class_auc");
    StringBuilder b = new StringBuilder("| class | zero-shot | prompt-tuned |\n| --- | --- | --- |\n");
    for (String c : before.keySet()) {
      b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", c, before.get(c), after.get(c)));
    }
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static String confusionTable(Map<String, Object> m, String prefix) {
    long[][] counts = (long[][]) m.get(prefix + "_confusion");
    List<String> classes = new ArrayList<>(((Map<String, Double>) m.get(prefix + "_per_class_auc")).keySet());
    StringBuilder b = new StringBuilder("| truth \\ predicted | " + String.join(" | ", classes) + " |\n|");
    b.append(" --- |".repeat(classes.size() + 1)).append('\n');
    for (int t = 0; t < counts.length; t++) {
      b.append("| ").append(classes.get(t));
      for (long n : counts[t]) {
        b.append(" | ").append(n);
      }
      b.append(" |\n");
    }
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static String contextList(Map<String, Object> m) {
    List<List<String>> nearest = (List<List<String>>) m.get("context_nearest_tokens");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < nearest.size(); i++) {
      b.append(i == 0 ? "" : "\n").append(i + 1).append(". ");
      b.append(String.join(", ", nearest.get(i).stream().map(t -> "`" + t.replace("`", "'") + "`").toList()));
    }
    return b.toString();
  }

  private static double num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
