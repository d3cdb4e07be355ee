package org.cleft.api.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.Tensor;

/**
 * SGD with momentum as {@code torch.optim.SGD} computes it (L2 weight decay added to the gradient, none on 1-D
 * parameters; the momentum buffer starts as the first gradient, no dampening, no Nesterov), written once for every
 * engine.
 *
 * @param <T> the engine's parameter handle
 */
public final class Sgd<T> implements UpdateRule<T> {
  private final TensorUpdates<T> u;
  private final double momentum;
  private final double weightDecay;
  private final UpdateState<T> buffers;
  private long step;

  /**
   * Creates the optimiser.
   *
   * @param updates the engine's tensor updates
   * @param momentum momentum factor, 0 for plain SGD
   * @param weightDecay L2 penalty added to the gradient
   */
  public Sgd(TensorUpdates<T> updates, double momentum, double weightDecay) {
    this.u = updates;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.buffers = new UpdateState<>("momentum_buffer", updates);
  }

  @Override
  public long stepCount() {
    return step;
  }

  @Override
  public void step(Map<String, T> parameters, double lr) {
    step++;
    for (Map.Entry<String, T> e : parameters.entrySet()) {
      T p = e.getValue();
      T d = u.gradient(p);
      if (d == null) {
        continue;
      }
      if (weightDecay > 0 && UpdateRule.decays(u, p)) {
        d = u.plusScaled(d, p, weightDecay);
      }
      if (momentum > 0) {
        boolean first = !buffers.has(e.getKey());
        T buf = buffers.get(e.getKey(), p);
        if (!first) {
          u.mul(buf, momentum);
        }
        u.addScaled(buf, d, 1);
        d = buf;
      }
      u.addScaled(p, d, -lr);
    }
  }

  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    buffers.save(out);
    return out;
  }

  @Override
  public void restore(long steps, Map<String, Tensor> state, Map<String, T> parameters) {
    buffers.restore(state, parameters);
    this.step = steps;
  }

  @Override
  public void close() {
    buffers.clear();
  }
}
