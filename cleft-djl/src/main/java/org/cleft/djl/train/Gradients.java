package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Gradient bookkeeping: the global L2 norm, clipping as {@code torch.nn.utils.clip_grad_norm_}, zeroing. */
final class Gradients {
  private Gradients() {}

  /** The L2 norm of all gradients together. */
  static double globalNorm(Map<String, NDArray> params) {
    double sum = 0;
    for (NDArray p : params.values()) {
      if (p.hasGradient()) {
        NDArray g = p.getGradient();
        sum += g.mul(g).sum().getFloat();
      }
    }
    return Math.sqrt(sum);
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
        NDArray g = p.getGradient();
        g.subi(g);
      }
    }
  }
}
