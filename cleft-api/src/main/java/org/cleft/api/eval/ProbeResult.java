package org.cleft.api.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Held-out scores of a linear probe.
 *
 * @param accuracy fraction of test rows whose most probable class is the true one
 * @param macroAuc mean one-vs-rest ROC AUC over the classes present in the test labels
 * @param trainRows rows the probe was trained on
 * @param testRows rows it was tested on
 */
public record ProbeResult(double accuracy, double macroAuc, int trainRows, int testRows) {

  /**
   * The numbers as {@code PREFIXaccuracy}, {@code PREFIXmacro_auc}, {@code PREFIXtrain_rows},
   * {@code PREFIXtest_rows}.
   *
   * @param prefix prepended to every key, e.g. {@code "linear_probe_10pct_"}
   * @return an insertion-ordered map
   */
  public Map<String, Double> toMap(String prefix) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(prefix + "accuracy", accuracy);
    out.put(prefix + "macro_auc", macroAuc);
    out.put(prefix + "train_rows", (double) trainRows);
    out.put(prefix + "test_rows", (double) testRows);
    return out;
  }
}
