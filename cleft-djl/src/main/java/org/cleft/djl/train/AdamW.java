package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.Tensor;

/**
 * AdamW as {@code torch.optim.AdamW} computes it (single-tensor path): decoupled weight decay
 * ({@code p *= 1 - lr * wd}), {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}, in float32 native ops. Weight
 * decay applies only to parameters with more than one dimension, as the reference CLEFT code groups them.
 */
public final class AdamW implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final OptimizerState expAvg = new OptimizerState("exp_avg");
  private final OptimizerState expAvgSq = new OptimizerState("exp_avg_sq");
  private long step;

  /**
   * Creates the optimiser.
   *
   * @param beta1 first-moment decay (torch default 0.9)
   * @param beta2 second-moment decay (torch default 0.999)
   * @param eps added to the denominator (torch default 1e-8)
   * @param weightDecay decoupled weight decay
   */
  public AdamW(double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  @Override
  public long stepCount() {
    return step;
  }

  @Override
  public void step(Map<String, NDArray> params, double lr) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      if (!p.hasGradient()) {
        continue;
      }
      NDArray g = p.getGradient();
      if (weightDecay > 0 && Optimizer.decays(p)) {
        p.muli((float) (1 - lr * weightDecay));
      }
      NDArray m = expAvg.get(e.getKey(), p);
      NDArray v = expAvgSq.get(e.getKey(), p);
      m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
      v.muli((float) beta2).addi(g.mul(g).muli((float) (1 - beta2)));
      NDArray denom = v.sqrt().divi((float) bc2Sqrt).addi((float) eps);
      p.subi(m.div(denom).muli((float) (lr / bc1)));
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
  public void restore(long steps, Map<String, Tensor> state, Map<String, NDArray> params) {
    expAvg.restore(state, params);
    expAvgSq.restore(state, params);
    this.step = steps;
  }
}
