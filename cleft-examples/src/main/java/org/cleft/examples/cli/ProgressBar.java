package org.cleft.examples.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.cleft.api.TrainingListener;

/**
 * A one-line progress bar for training runs: step, loss, learning rate, images per second and the
 * time left, redrawn in place on a terminal (or printed every {@code every} steps when the output is
 * not a terminal, so logs stay readable). Evaluations and checkpoints get lines of their own.
 */
final class ProgressBar implements TrainingListener {
  private static final int WIDTH = 24;
  private final PrintStream out;
  private final String label;
  private final boolean terminal;
  private final long every;
  private final long started = System.nanoTime();
  private long firstStep = -1;

  /**
   * A bar.
   *
   * @param out where to draw
   * @param label the run's name, shown first
   * @param terminal redraw in place ({@code \r}) rather than printing lines
   * @param every without a terminal, print one line per this many steps
   */
  ProgressBar(PrintStream out, String label, boolean terminal, long every) {
    this.out = out;
    this.label = label;
    this.terminal = terminal;
    this.every = Math.max(1, every);
  }

  /** A bar that redraws in place when the JVM has a console. */
  static ProgressBar on(PrintStream out, String label, long steps) {
    return new ProgressBar(out, label, System.console() != null, Math.max(1, steps / 20));
  }

  @Override
  public void onStep(long step, long totalSteps, double loss, double learningRate, double imagesPerSecond) {
    if (firstStep < 0) {
      firstStep = step - 1;
    }
    if (!terminal && step % every != 0 && step != totalSteps) {
      return;
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    double perStep = elapsed / Math.max(1, step - firstStep);
    long eta = Math.round(perStep * (totalSteps - step));
    int filled = (int) (WIDTH * step / Math.max(1, totalSteps));
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    String line = String.format(Locale.ROOT, "%s [%s] %d/%d loss %.4f lr %.2e %.0f img/s ETA %s", label, bar, step,
        totalSteps, loss, learningRate, imagesPerSecond, duration(eta));
    if (terminal) {
      out.print("\r" + line + (step == totalSteps ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }

  @Override
  public void onEvaluation(long step, Map<String, Double> metrics) {
    StringBuilder sb = new StringBuilder(terminal ? "\n" : "").append(label).append(" eval @").append(step).append(':');
    metrics.forEach((k, v) -> {
      if (!k.contains("auc_") && !k.endsWith("_rows")) {
        sb.append(String.format(Locale.ROOT, " %s=%.4f", k, v));
      }
    });
    out.println(sb);
  }

  @Override
  public void onCheckpoint(long step, Path directory) {
    if (!terminal) {
      out.println(label + " checkpoint @" + step + ": " + directory);
    }
  }

  static String duration(long seconds) {
    return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
        : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
  }
}
