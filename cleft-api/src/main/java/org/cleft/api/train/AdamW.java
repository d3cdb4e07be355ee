package org.cleft.api.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.Tensor;

/**
 * AdamW as {@code torch.optim.AdamW} computes it (decoupled weight decay applied to the parameter first, none on 1-D
 * parameters; bias-corrected moments; {@code eps} added after dividing the root of the second moment by its bias
 * correction), written once for every engine. Matches HF's reference step to 2e-5 ({@code cleft verify}).
 *
 * @param <T> the engine's parameter handle
 */
public final class AdamW<T> implements UpdateRule<T> {
  private final TensorUpdates<T> u;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final UpdateState<T> expAvg;
  private final UpdateState<T> expAvgSq;
  private long step;

  /**
   * Creates the optimiser.
   *
   * @param updates the engine's tensor updates
   * @param beta1 the first moment's decay (0.9)
   * @param beta2 the second moment's decay (0.999)
   * @param eps added to the denominator (1e-8)
   * @param weightDecay the decoupled weight decay (the paper: 0.1)
   */
  public AdamW(TensorUpdates<T> updates, double beta1, double beta2, double eps, double weightDecay) {
    this.u = updates;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.expAvg = new UpdateState<>("exp_avg", updates);
    this.expAvgSq = new UpdateState<>("exp_avg_sq", updates);
  }

  @Override
  public long stepCount() {
    return step;
  }

  @Override
  public void step(Map<String, T> parameters, double lr) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    for (Map.Entry<String, T> e : parameters.entrySet()) {
      T p = e.getValue();
      T g = u.gradient(p);
      if (g == null) {
        continue;
      }
      if (weightDecay > 0 && UpdateRule.decays(u, p)) {
        u.mul(p, 1 - lr * weightDecay);
      }
      T m = expAvg.get(e.getKey(), p);
      T v = expAvgSq.get(e.getKey(), p);
      u.mul(m, beta1);
      u.addScaled(m, g, 1 - beta1);
      u.mul(v, beta2);
      u.addProduct(v, g, g, 1 - beta2);
      T denom = u.sqrt(v);
      u.div(denom, bc2Sqrt);
      u.add(denom, eps);
      u.subQuotient(p, m, denom, lr / bc1);
    }
  }

  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    expAvg.save(out);
    expAvgSq.save(out);
    return out;
  }

  @Override
  public void restore(long steps, Map<String, Tensor> state, Map<String, T> parameters) {
    expAvg.restore(state, parameters);
    expAvgSq.restore(state, parameters);
    this.step = steps;
  }

  @Override
  public void close() {
    expAvg.clear();
    expAvgSq.clear();
  }
}
