package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.Tensor;

/**
 * SGD with momentum as {@code torch.optim.SGD} computes it (no dampening, no Nesterov):
 * {@code d = g + wd p} (L2 decay on parameters with more than one dimension), the momentum buffer is
 * {@code d} on the first step and {@code mu buf + d} after, {@code p -= lr buf}.
 */
public final class Sgd implements Optimizer {
  private final double momentum;
  private final double weightDecay;
  private final OptimizerState buffers = new OptimizerState("momentum_buffer");
  private long step;

  /**
   * Creates the optimiser.
   *
   * @param momentum momentum factor, 0 for plain SGD
   * @param weightDecay L2 penalty added to the gradient
   */
  public Sgd(double momentum, double weightDecay) {
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  @Override
  public long stepCount() {
    return step;
  }

  @Override
  public void step(Map<String, NDArray> params, double lr) {
    step++;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      if (!p.hasGradient()) {
        continue;
      }
      NDArray d = p.getGradient();
      if (weightDecay > 0 && Optimizer.decays(p)) {
        d = d.add(p.mul((float) weightDecay));
      }
      if (momentum > 0) {
        boolean first = !buffers.has(e.getKey());
        NDArray buf = buffers.get(e.getKey(), p);
        if (first) {
          buf.addi(d);
        } else {
          buf.muli((float) momentum).addi(d);
        }
        d = buf;
      }
      p.subi(d.mul((float) lr));
    }
  }

  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    buffers.save(out);
    return out;
  }

  @Override
  public void restore(long steps, Map<String, Tensor> state, Map<String, NDArray> params) {
    buffers.restore(state, params);
    this.step = steps;
  }
}
