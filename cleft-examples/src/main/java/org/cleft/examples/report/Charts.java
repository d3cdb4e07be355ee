package org.cleft.examples.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cleft.api.metrics.ConfusionMatrix;

/**
 * PNG charts for reports: a training loss curve, per-class ROC curves and a confusion matrix. Pure
 * Java2D; the sizes are fixed ({@link #LOSS_WIDTH} x {@link #LOSS_HEIGHT}, {@link #ROC_SIZE} square,
 * {@link #CONFUSION_SIZE} square) and the output is the same for the same input.
 */
public final class Charts {
  /** Width of the loss curve in pixels. */
  public static final int LOSS_WIDTH = 800;
  /** Height of the loss curve in pixels. */
  public static final int LOSS_HEIGHT = 500;
  /** Width and height of the ROC chart in pixels. */
  public static final int ROC_SIZE = 640;
  /** Width and height of the confusion matrix chart in pixels. */
  public static final int CONFUSION_SIZE = 640;
  /** The weight of the exponential moving average drawn over the loss curve. */
  public static final double SMOOTHING = 0.9;

  private Charts() {}

  /**
   * The training loss against the step: the raw values as a thin line and their smoothed values
   * ({@link #smooth} with {@link #SMOOTHING}) as a thick one.
   *
   * @param steps the step of each value, as many as {@code losses}, at least one
   * @param losses the loss values; non-finite ones are refused
   * @param png the file to write (parent folders are created)
   * @throws IOException when the file cannot be written
   * @throws IllegalArgumentException when the arrays are empty, differ in length, or hold NaN/infinity
   */
  public static void lossCurve(long[] steps, double[] losses, Path png) throws IOException {
    if (steps.length != losses.length || steps.length == 0) {
      throw new IllegalArgumentException("lossCurve needs as many steps as losses, at least one: got "
          + steps.length + " steps and " + losses.length + " losses");
    }
    double[] xs = new double[steps.length];
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < steps.length; i++) {
      if (!Double.isFinite(losses[i])) {
        throw new IllegalArgumentException("lossCurve: loss at index " + i + " (step " + steps[i] + ") is " + losses[i]);
      }
      xs[i] = steps[i];
      yMin = Math.min(yMin, losses[i]);
      yMax = Math.max(yMax, losses[i]);
    }
    double pad = (yMax - yMin) * 0.05 + 1e-9;
    double low = yMin >= 0 ? Math.max(0, yMin - pad) : yMin - pad; // a non-negative loss keeps a non-negative axis
    Plot plot = new Plot(LOSS_WIDTH, LOSS_HEIGHT, xs[0], xs[xs.length - 1], low, yMax + pad);
    plot.axes("Training loss", "step", "loss");
    Color raw = new Color(0x1f77b4);
    plot.line(xs, losses, new Color(raw.getRed(), raw.getGreen(), raw.getBlue(), 110), 1f, false);
    plot.line(xs, smooth(losses, SMOOTHING), raw, 2.5f, false);
    plot.legend(List.of("loss", String.format(Locale.ROOT, "smoothed (EMA %.2f)", SMOOTHING)),
        List.of(new Color(raw.getRed(), raw.getGreen(), raw.getBlue(), 110), raw), true);
    plot.write(png);
  }

  /**
   * An exponential moving average with TensorBoard's bias correction:
   * {@code s_i = w s_(i-1) + (1 - w) v_i}, reported as {@code s_i / (1 - w^(i+1))}, so the first value is
   * unchanged and early values are not pulled towards zero.
   *
   * @param values the series
   * @param weight the memory, in [0, 1); 0 returns the values unchanged
   * @return the smoothed series, as long as {@code values}
   */
  public static double[] smooth(double[] values, double weight) {
    if (!(weight >= 0 && weight < 1)) {
      throw new IllegalArgumentException("smoothing weight must be in [0, 1), got " + weight);
    }
    double[] out = new double[values.length];
    double s = 0;
    double decay = 1;
    for (int i = 0; i < values.length; i++) {
      s = weight * s + (1 - weight) * values[i];
      decay *= weight;
      out[i] = s / (1 - decay);
    }
    return out;
  }

  /**
   * One ROC curve per class (one-vs-rest: the class's score column against its label column), the
   * chance diagonal, and each class's AUC in the legend. Classes whose labels hold only one value have
   * no curve and are listed as {@code n/a}.
   *
   * @param classNames the classes, in column order
   * @param scores one row of class scores per sample
   * @param labels one row of 0/1 labels per sample, one column per class
   * @param png the file to write
   * @return the curves drawn, null for a class without one (for reports and tests)
   * @throws IOException when the file cannot be written
   */
  public static List<RocCurve> rocCurves(List<String> classNames, float[][] scores, float[][] labels, Path png)
      throws IOException {
    List<RocCurve> curves = curves(classNames, scores, labels);
    Plot plot = new Plot(ROC_SIZE, ROC_SIZE, 0, 1, 0, 1);
    plot.axes("ROC curves (one vs rest)", "false positive rate", "true positive rate");
    plot.line(new double[] {0, 1}, new double[] {0, 1}, Color.GRAY, 1f, true);
    List<String> legend = new ArrayList<>();
    List<Color> colors = new ArrayList<>();
    for (int c = 0; c < classNames.size(); c++) {
      Color color = Plot.PALETTE.get(c % Plot.PALETTE.size());
      RocCurve curve = curves.get(c);
      if (curve != null) {
        plot.line(curve.falsePositiveRate(), curve.truePositiveRate(), color, 2f, false);
      }
      legend.add(classNames.get(c) + (curve == null ? " (AUC n/a)"
          : String.format(Locale.ROOT, " (AUC %.3f)", curve.auc())));
      colors.add(curve == null ? Color.LIGHT_GRAY : color);
    }
    plot.legend(legend, colors, false);
    plot.write(png);
    return curves;
  }

  /**
   * The ROC curve of each class, null for a class whose labels are all 0 or all 1.
   *
   * @param classNames the classes, in column order
   * @param scores one row of class scores per sample
   * @param labels one row of 0/1 labels per sample
   * @return one entry per class
   */
  public static List<RocCurve> curves(List<String> classNames, float[][] scores, float[][] labels) {
    if (scores.length != labels.length || scores.length == 0) {
      throw new IllegalArgumentException("rocCurves: " + scores.length + " score rows and " + labels.length
          + " label rows (need the same, at least one)");
    }
    List<RocCurve> out = new ArrayList<>();
    for (int c = 0; c < classNames.size(); c++) {
      double[] s = new double[scores.length];
      int[] l = new int[scores.length];
      int positives = 0;
      for (int i = 0; i < scores.length; i++) {
        if (scores[i].length != classNames.size() || labels[i].length != classNames.size()) {
          throw new IllegalArgumentException("rocCurves: row " + i + " does not have one score and one label for each of "
              + classNames.size() + " classes");
        }
        s[i] = scores[i][c];
        l[i] = labels[i][c] == 1f ? 1 : 0;
        positives += l[i];
      }
      out.add(positives == 0 || positives == l.length ? null : RocCurve.of(s, l));
    }
    return out;
  }

  /**
   * The confusion matrix as a grid (truth down, prediction across) with the count in each cell and a
   * white-to-blue colour scale from 0 to the largest count, shown in a bar on the right.
   *
   * @param classNames the class names to label the axes with, one per class of {@code m}
   * @param m the matrix
   * @param png the file to write
   * @throws IOException when the file cannot be written
   */
  public static void confusionMatrix(List<String> classNames, ConfusionMatrix m, Path png) throws IOException {
    if (classNames.size() != m.size()) {
      throw new IllegalArgumentException("confusionMatrix: " + classNames.size() + " class names for a "
          + m.size() + "-class matrix");
    }
    ConfusionChart.draw(classNames, m, CONFUSION_SIZE, png);
  }
}
