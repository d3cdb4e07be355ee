package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Gradient bookkeeping: the global L2 norm, clipping as {@code torch.nn.utils.clip_grad_norm_}, zeroing. */
final class Gradients {
  private Gradients() {}

  /** The L2 norm of all gradients together. */
  static double globalNorm(Map<String, NDArray> params) {
    // summed on the device, read once: one host synchronisation per step instead of one per parameter
    NDArray sum = null;
    for (NDArray p : params.values()) {
      if (p.hasGradient()) {
        NDArray g = p.getGradient();
        NDArray sq = g.mul(g).sum();
        sum = sum == null ? sq : sum.add(sq);
      }
    }
    return sum == null ? 0 : Math.sqrt(sum.getFloat());
  }

  /** Names of parameters whose gradient or value holds NaN or infinity (at most {@code limit}). */
  static java.util.List<String> nonFinite(Map<String, NDArray> params, int limit) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      boolean badGrad = p.hasGradient() && !finite(p.getGradient());
      if ((badGrad || !finite(p)) && out.size() < limit) {
        out.add(e.getKey() + (badGrad ? " (gradient)" : " (value)"));
      }
    }
    return out;
  }

  private static boolean finite(NDArray a) {
    return Float.isFinite(a.abs().max().getFloat());
  }

  /** Scales every gradient by {@code max / (norm + 1e-6)} when that is below 1. */
  static void clip(Map<String, NDArray> params, double norm, double max) {
    double coef = max / (norm + 1e-6);
    if (coef >= 1) {
      return;
    }
    for (NDArray p : params.values()) {
      if (p.hasGradient()) {
        p.getGradient().muli((float) coef);
      }
    }
  }

  /** Sets every gradient to zero (gradients otherwise accumulate across backward passes). */
  static void zero(Map<String, NDArray> params) {
    for (NDArray p : params.values()) {
      if (p.hasGradient()) {
        // a fill, not g - g: that would keep NaN and turn infinities into NaN after a diverged step
        p.getGradient().set(new ai.djl.ndarray.index.NDIndex("..."), 0);
      }
    }
  }
}
