package org.cleft.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cleft.api.eval.ProbeResult;
import org.cleft.api.eval.ZeroShotResult;
import org.cleft.examples.report.Charts;

/** Prints {@code cleft eval}'s results and writes them as JSON and charts. */
final class EvalReport {
  /** Prefix of the zero-shot keys in the JSON metrics. */
  static final String ZERO_SHOT = "zero_shot_";

  private final PrintStream out;
  private final EvalData data;
  private final Path checkpoint;
  private final Map<String, Object> json = new LinkedHashMap<>();
  private final Map<String, Double> metrics = new LinkedHashMap<>();
  private ZeroShotResult zeroShot;

  EvalReport(PrintStream out, EvalData data, Path checkpoint) {
    this.out = out;
    this.data = data;
    this.checkpoint = checkpoint;
  }

  void header(String backend, boolean promptTuned, String template) {
    String classifier = promptTuned ? "prompt-tuned (from the checkpoint)" : "'" + template + "'";
    out.printf("model       %s%n", checkpoint);
    out.printf("data        %s: %d images, %d rows skipped%n", data.description(), data.size(),
        data.dataset().skips().count());
    out.printf("classes     %s%n", String.join(", ", data.classNames()));
    out.printf("backend     %s%n", backend);
    out.printf("prompts     %s%n%n", classifier);
    json.put("model", checkpoint.toAbsolutePath().normalize().toString());
    json.put("data", data.description());
    json.put("backend", backend);
    json.put("prompt_tuned", promptTuned);
    if (!promptTuned) {
      json.put("template", template);
    }
    json.put("classes", data.classNames());
    json.put("images", data.size());
    json.put("skipped_rows", data.dataset().skips().count());
  }

  void zeroShot(ZeroShotResult r) {
    this.zeroShot = r;
    out.printf(Locale.ROOT, "zero-shot accuracy   %.4f  (%d images with a positive label", r.accuracy(),
        r.accuracyRows());
    out.println(r.unlabelledRows() > 0 ? "; " + r.unlabelledRows() + " without, left out)" : ")");
    out.printf(Locale.ROOT, "zero-shot macro AUC  %.4f%n", r.macroAuc());
    double[] auc = r.perClassAuc();
    int width = r.classNames().stream().mapToInt(String::length).max().orElse(5);
    for (int c = 0; c < auc.length; c++) {
      out.printf(Locale.ROOT, "  AUC %-" + width + "s  %s%n", r.classNames().get(c),
          Double.isNaN(auc[c]) ? "n/a (one label value only)" : String.format(Locale.ROOT, "%.4f", auc[c]));
    }
    out.println();
    out.println("confusion matrix (rows: true class, columns: predicted)");
    out.println(r.confusionMatrix());
    metrics.putAll(r.toMap(ZERO_SHOT));
    json.put("confusion_matrix", r.confusionMatrix().counts());
  }

  void probes(ProbeRun.Outcome o) {
    out.printf("%nlinear probe (%d training images, %d test images; %d without exactly one positive left out)%n",
        o.trainImages(), o.testImages(), o.skippedImages());
    out.println("  fraction  train images  accuracy  macro AUC");
    for (Map.Entry<Double, ProbeResult> e : o.results().entrySet()) {
      ProbeResult p = e.getValue();
      out.printf(Locale.ROOT, "  %-8s  %12d  %8.4f  %9.4f%n", percent(e.getKey()), p.trainRows(), p.accuracy(),
          p.macroAuc());
      metrics.putAll(p.toMap("linear_probe_" + percent(e.getKey()).replace("%", "pct").replace('.', '_') + "_"));
    }
  }

  /** {@code 0.01} as {@code 1%}, {@code 0.005} as {@code 0.5%}. */
  static String percent(double fraction) {
    double p = fraction * 100;
    return (p == Math.rint(p) ? Long.toString(Math.round(p)) : String.format(Locale.ROOT, "%s", p)) + "%";
  }

  void charts(Path dir) throws IOException {
    Path roc = dir.resolve("roc.png");
    Path confusion = dir.resolve("confusion.png");
    Charts.rocCurves(zeroShot.classNames(), zeroShot.scores(), zeroShot.labels(), roc);
    Charts.confusionMatrix(zeroShot.classNames(), zeroShot.confusionMatrix(), confusion);
    out.printf("%nwrote %s and %s%n", roc, confusion);
  }

  void writeJson(Path file) throws IOException {
    json.put("metrics", metrics);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ReportJson.MAPPER.writeValue(file.toFile(), json);
    out.printf("%nwrote %s%n", file);
  }
}
