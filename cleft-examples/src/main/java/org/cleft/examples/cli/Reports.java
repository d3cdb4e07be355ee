package org.cleft.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.cleft.api.TrainingReport;

/** The closing lines of a training command. */
final class Reports {
  private Reports() {}

  static void print(PrintStream out, TrainingReport r) {
    out.printf(Locale.ROOT, "steps    %d (final loss %.4f) in %.1f s%n", r.steps(), r.finalLoss(), r.seconds());
    out.printf(Locale.ROOT, "params   %,d trainable of %,d (%.2f%%)%n", r.trainableParameters(), r.totalParameters(),
        r.trainablePercent());
    r.metrics().forEach((k, v) -> {
      if (!k.contains("auc_") && !k.endsWith("_rows")) {
        out.printf(Locale.ROOT, "metric   %s %.4f%n", k, v);
      }
    });
    out.println("saved    " + r.checkpoint());
  }
}
