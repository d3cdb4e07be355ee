package org.cleft.djl.verify;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.safetensors.TensorSource;

/** Compares computed tensors with a fixture's expected tensors and prints a table. */
public final class Comparison {
  /**
   * One compared tensor.
   *
   * @param name the tensor name
   * @param shape its shape
   * @param maxAbsDiff max |computed - expected| (NaN when shapes differ or no expected tensor)
   * @param maxAbsExpected max |expected|
   * @param tolerance the allowed difference
   * @param relative whether the tolerance is relative to max |expected|
   * @param status PASS, FAIL, SHAPE, ONLY (no expected tensor) or NOISE (a gradient that is analytically
   *     zero, such as a key bias under softmax, whose reference and computed values are both float32 noise
   *     below {@link Tolerances#GRADIENT_NOISE_FLOOR}; also the AdamW update of that parameter, which such
   *     noise drives)
   */
  public record Row(String name, long[] shape, double maxAbsDiff, double maxAbsExpected, double tolerance,
      boolean relative, String status) {}

  private final List<Row> rows = new ArrayList<>();

  /**
   * Compares every computed tensor with the expected tensor of the same name in any of {@code expected}.
   *
   * @param computed tensor name to computed value
   * @param expected the reference tensors, searched in order
   * @param tolerances the allowed differences
   * @return the comparison, one row per computed tensor
   * @throws SafetensorsException when a reference file cannot be read
   */
  public static Comparison of(Map<String, Tensor> computed, List<TensorSource> expected, Tolerances tolerances)
      throws SafetensorsException {
    Comparison c = new Comparison();
    for (Map.Entry<String, Tensor> e : computed.entrySet()) {
      String name = e.getKey();
      Tensor t = e.getValue();
      TensorSource source = expected.stream().filter(s -> s.contains(name)).findFirst().orElse(null);
      double tol = tolerances.tolerance(name);
      boolean rel = tolerances.relative(name);
      if (source == null) {
        c.rows.add(new Row(name, t.shape(), Double.NaN, Double.NaN, tol, rel, "ONLY"));
        continue;
      }
      long[] shape = source.info(name).shape();
      if (!Arrays.equals(shape, t.shape())) {
        c.rows.add(new Row(name, t.shape(), Double.NaN, Double.NaN, tol, rel, "SHAPE"));
        continue;
      }
      float[] want = source.floats(name);
      float[] got = t.toFloats();
      double diff = 0;
      double scale = 0;
      for (int i = 0; i < want.length; i++) {
        diff = Math.max(diff, Math.abs((double) got[i] - want[i]));
        scale = Math.max(scale, Math.abs(want[i]));
      }
      if (Double.isNaN(diff) || hasNaN(got)) {
        diff = Double.POSITIVE_INFINITY;
      }
      double allowed = rel ? tol * scale : tol;
      String status = diff <= allowed ? "PASS" : "FAIL";
      if (status.equals("FAIL") && noiseOnly(name, computed, expected)) {
        status = "NOISE";
      }
      c.rows.add(new Row(name, t.shape(), diff, scale, tol, rel, status));
    }
    return c;
  }

  /** Whether the gradient behind {@code name} is float32 noise on both sides (analytically zero). */
  private static boolean noiseOnly(String name, Map<String, Tensor> computed, List<TensorSource> expected)
      throws SafetensorsException {
    String grad = name.startsWith("train.after_step.") ? "train.grad." + name.substring("train.after_step.".length())
        : name.startsWith("train.grad.") ? name : null;
    if (grad == null || !computed.containsKey(grad)) {
      return false;
    }
    TensorSource source = expected.stream().filter(s -> s.contains(grad)).findFirst().orElse(null);
    if (source == null) {
      return false;
    }
    return maxAbs(source.floats(grad)) < Tolerances.GRADIENT_NOISE_FLOOR
        && maxAbs(computed.get(grad).toFloats()) < Tolerances.GRADIENT_NOISE_FLOOR;
  }

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static boolean hasNaN(float[] v) {
    for (float x : v) {
      if (Float.isNaN(x)) {
        return true;
      }
    }
    return false;
  }

  /** {@return every row} */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** {@return whether any tensor failed (beyond tolerance or wrong shape)} */
  public boolean failed() {
    return rows.stream().anyMatch(r -> r.status().equals("FAIL") || r.status().equals("SHAPE"));
  }

  /**
   * Prints the table.
   *
   * @param out where to print
   */
  public void print(PrintStream out) {
    int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(10);
    String fmt = "%-" + width + "s  %-16s  %12s  %14s  %-6s%n";
    out.printf(fmt, "tensor", "shape", "max |diff|", "tolerance", "status");
    for (Row r : rows) {
      String tol = r.relative() ? String.format("%.0e rel", r.tolerance()) : String.format("%.0e abs", r.tolerance());
      String diff = Double.isNaN(r.maxAbsDiff()) ? "-" : String.format("%.3e", r.maxAbsDiff());
      out.printf(fmt, r.name(), Arrays.toString(r.shape()).replace(" ", ""), diff, tol, r.status());
    }
    long pass = rows.stream().filter(r -> r.status().equals("PASS")).count();
    long noise = rows.stream().filter(r -> r.status().equals("NOISE")).count();
    if (noise > 0) {
      out.printf("NOISE: %d tensor(s) whose gradient is analytically zero (|grad| < %.0e on both sides); "
          + "their values are float32 rounding noise and are not compared%n", noise, Tolerances.GRADIENT_NOISE_FLOOR);
    }
    long fail = rows.stream().filter(r -> r.status().equals("FAIL") || r.status().equals("SHAPE")).count();
    out.printf("%d passed, %d failed, %d noise, %d without reference%n", pass, fail, noise,
        rows.size() - pass - fail - noise);
  }
}
