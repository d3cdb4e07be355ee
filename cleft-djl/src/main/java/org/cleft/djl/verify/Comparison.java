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
   * @param status PASS, FAIL, SHAPE or ONLY (no expected tensor)
   */
  public record Row(String name, long[] shape, double maxAbsDiff, double maxAbsExpected, double tolerance,
      boolean relative, String status) {}

  private final List<Row> rows = new ArrayList<>();

  /** Compares every computed tensor with the expected tensor of the same name in any of {@code expected}. */
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
      c.rows.add(new Row(name, t.shape(), diff, scale, tol, rel, diff <= allowed ? "PASS" : "FAIL"));
    }
    return c;
  }

  private static boolean hasNaN(float[] v) {
    for (float x : v) {
      if (Float.isNaN(x)) {
        return true;
      }
    }
    return false;
  }

  /** Every row. */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Whether any tensor failed (beyond tolerance or wrong shape). */
  public boolean failed() {
    return rows.stream().anyMatch(r -> r.status().equals("FAIL") || r.status().equals("SHAPE"));
  }

  /** Prints the table. */
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
    long fail = rows.stream().filter(r -> r.status().equals("FAIL") || r.status().equals("SHAPE")).count();
    out.printf("%d passed, %d failed, %d without reference%n", pass, fail, rows.size() - pass - fail);
  }
}
