package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW} computes it: decoupled weight decay ({@code p *= 1 - lr * wd}),
 * bias-corrected moments, {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}. Weight
 * decay applies only to parameters with more than one dimension, as the reference CLEFT code groups
 * them. Moments are kept in Java float arrays, so their state can be saved and restored exactly.
 */
public final class AdamW {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, float[]> m = new HashMap<>();
  private final Map<String, float[]> v = new HashMap<>();
  private long step;

  /**
   * Creates the optimiser.
   *
   * @param beta1 decay of the first-moment estimate (0.9)
   * @param beta2 decay of the second-moment estimate (0.999)
   * @param eps added to the denominator for stability (1e-8)
   * @param weightDecay decoupled weight decay, applied only to parameters of more than one dimension
   */
  public AdamW(double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /** {@return steps taken so far} */
  public long stepCount() {
    return step;
  }

  /**
   * Takes one step on every parameter that has a gradient.
   *
   * @param params trainable parameters by name
   * @param lr the learning rate of this step
   */
  public void step(Map<String, NDArray> params, double lr) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      float[] w = p.toFloatArray();
      float[] g = p.getGradient().toFloatArray();
      float[] mom = m.computeIfAbsent(e.getKey(), k -> new float[w.length]);
      float[] vel = v.computeIfAbsent(e.getKey(), k -> new float[w.length]);
      double decay = p.getShape().dimension() > 1 ? weightDecay : 0;
      for (int i = 0; i < w.length; i++) {
        float wi = (float) (w[i] * (1 - lr * decay));
        mom[i] = (float) (beta1 * mom[i] + (1 - beta1) * g[i]);
        vel[i] = (float) (beta2 * vel[i] + (1 - beta2) * g[i] * (double) g[i]);
        double denom = Math.sqrt(vel[i]) / bc2Sqrt + eps;
        w[i] = (float) (wi - lr / bc1 * mom[i] / denom);
      }
      p.set(w);
    }
  }
}
