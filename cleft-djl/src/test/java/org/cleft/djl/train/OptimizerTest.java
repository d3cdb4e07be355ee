package org.cleft.djl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.Device;
import org.cleft.api.train.AdamW;
import org.cleft.api.train.Sgd;
import org.cleft.djl.DjlEngine;
import org.junit.jupiter.api.Test;

/**
 * The engine-neutral SGD and AdamW of cleft-api run on DJL's tensor updates, and those updates (norm, zeroing), against
 * values worked out by hand (the schedule and the rules on a reference engine: cleft-api).
 */
class OptimizerTest {
  private static final DjlTrainingEngine ENGINE = DjlTrainingEngine.INSTANCE;

  @Test
  void sgdWithMomentumAndDecayMatchesTorchByHand() {
    try (NDManager m = DjlEngine.newManager(Device.cpu())) {
      NDArray w = m.create(new float[] {1f, 2f}, new Shape(1, 2)); // 2-D: decays
      NDArray b = m.create(new float[] {1f}); // 1-D: no decay
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", w);
      params.put("b", b);
      Sgd<NDArray> sgd = new Sgd<>(ENGINE, 0.9, 0.1);
      for (int step = 0; step < 2; step++) {
        gradients(params, 0.5f); // d(loss)/dp = 0.5 for every value
        sgd.step(params, 0.1);
      }
      // w[0]: d1 = 0.5 + 0.1 * 1 = 0.6, buf 0.6, w 0.94; d2 = 0.5 + 0.094 = 0.594, buf 0.54 + 0.594 = 1.134,
      // w = 0.94 - 0.1134 = 0.8266
      assertThat(w.toFloatArray()[0]).isCloseTo(0.8266f, offset(1e-6f));
      // b: d = 0.5 twice, buf 0.5 then 0.95, b = 1 - 0.05 - 0.095 = 0.855
      assertThat(b.toFloatArray()[0]).isCloseTo(0.855f, offset(1e-6f));
    }
  }

  @Test
  void theGlobalNormReadsEveryGradientAndZeroingClearsNan() {
    try (NDManager m = DjlEngine.newManager(Device.cpu())) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("a", m.create(new float[] {0f, 0f}, new Shape(2)));
      params.put("b", m.create(new float[] {0f}, new Shape(1)));
      gradients(params, 3f); // gradients [3, 3] and [3] -> norm sqrt(27)
      assertThat(ENGINE.norm(grads(params))).isCloseTo(Math.sqrt(27), offset(1e-5));
      ENGINE.mul(ENGINE.gradient(params.get("a")), 0.5);
      assertThat(ENGINE.norm(grads(params))).isCloseTo(Math.sqrt(4.5 + 9), offset(1e-5));
      grads(params).forEach(ENGINE::zero);
      assertThat(ENGINE.norm(grads(params))).isZero();
      gradients(params, Float.NaN); // after a diverged step the gradients hold NaN: zeroing must clear them
      assertThat(ENGINE.norm(grads(params))).isNaN();
      assertThat(ENGINE.isFinite(ENGINE.gradient(params.get("a")))).isFalse();
      grads(params).forEach(ENGINE::zero);
      assertThat(ENGINE.norm(grads(params))).isZero();
    }
  }

  private static List<NDArray> grads(Map<String, NDArray> params) {
    return params.values().stream().map(ENGINE::gradient).toList();
  }

  @Test
  void adamwStateRestoredElsewhereContinuesIdentically() {
    try (NDManager m = DjlEngine.newManager(Device.cpu())) {
      Map<String, NDArray> a = Map.of("w", m.create(new float[] {0.5f, -1f, 2f, 0.1f}, new Shape(2, 2)));
      Map<String, NDArray> b = Map.of("w", m.create(new float[] {0.5f, -1f, 2f, 0.1f}, new Shape(2, 2)));
      AdamW<NDArray> first = new AdamW<>(ENGINE, 0.9, 0.999, 1e-8, 0.1);
      for (int i = 0; i < 3; i++) {
        gradients(a, 0.3f + i);
        first.step(a, 1e-2);
        gradients(b, 0.3f + i);
      }
      // b took no step yet: replay a's three steps on b, then hand a's state to a fresh optimiser
      AdamW<NDArray> replay = new AdamW<>(ENGINE, 0.9, 0.999, 1e-8, 0.1);
      for (int i = 0; i < 3; i++) {
        gradients(b, 0.3f + i);
        replay.step(b, 1e-2);
      }
      AdamW<NDArray> restored = new AdamW<>(ENGINE, 0.9, 0.999, 1e-8, 0.1);
      restored.restore(first.stepCount(), first.state(), b);
      gradients(a, 5f);
      first.step(a, 1e-2);
      gradients(b, 5f);
      restored.step(b, 1e-2);
      assertThat(b.get("w").toFloatArray()).containsExactly(a.get("w").toFloatArray());
      assertThat(restored.stepCount()).isEqualTo(4);
    }
  }

  /** Sets every parameter's gradient to {@code value} (the gradient of {@code value * sum(p)}). */
  private static void gradients(Map<String, NDArray> params, float value) {
    params.values().forEach(p -> p.setRequiresGradient(true));
    params.values().stream().filter(NDArray::hasGradient).forEach(p -> ENGINE.zero(p.getGradient()));
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray loss = null;
      for (NDArray p : params.values()) {
        NDArray term = p.sum().mul(p.getManager().create(value));
        loss = loss == null ? term : loss.add(term);
      }
      gc.backward(loss);
    }
  }
}
