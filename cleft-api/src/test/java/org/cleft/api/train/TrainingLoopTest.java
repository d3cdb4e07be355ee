package org.cleft.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.BatchSource;
import org.cleft.api.ImageBatch;
import org.cleft.api.TrainingBatch;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingDivergedException;
import org.cleft.api.TrainingListener;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine-neutral training core (AdamW, SGD, the step loop) on a plain-Java reference engine over the host updates, against torch's
 * update rules worked out independently here (in double) and against runs that must be identical (accumulation,
 * resume). The engines' own parity with HF's AdamW step is checked by {@code cleft verify} and their tests.
 */
class TrainingLoopTest {
  private static final float[] TARGET = {1f, -2f};
  @TempDir Path tmp;

  @Test
  void adamwIsTorchsUpdateWithDecoupledDecayAndNoneOnVectors() {
    ArrayEngine e = new ArrayEngine();
    HostTensor w = ArrayEngine.param("w", new long[] {1, 2}, 0.5f, -1f);
    HostTensor b = ArrayEngine.param("b", new long[] {2}, 0.5f, -1f);
    Map<String, HostTensor> params = new LinkedHashMap<>();
    params.put("w", w);
    params.put("b", b);
    AdamW<HostTensor> adamw = new AdamW<>(e, 0.9, 0.999, 1e-8, 0.1);
    double[] g = {0.3, -0.7};
    double[][] ref = {{0.5, -1}, {0.5, -1}};
    double[][] m = new double[2][2];
    double[][] v = new double[2][2];
    for (int step = 1; step <= 3; step++) {
      double lr = 0.01 * step;
      for (HostTensor p : List.of(w, b)) {
        ArrayEngine.setGradient(p, (float) (g[0] * step), (float) (g[1] * step));
      }
      adamw.step(params, lr);
      for (int k = 0; k < 2; k++) { // k 0: w (decays), 1: b (1-D, no decay)
        for (int i = 0; i < 2; i++) {
          double grad = g[i] * step;
          if (k == 0) {
            ref[k][i] *= 1 - lr * 0.1;
          }
          m[k][i] = 0.9 * m[k][i] + 0.1 * grad;
          v[k][i] = 0.999 * v[k][i] + 0.001 * grad * grad;
          double denom = Math.sqrt(v[k][i]) / Math.sqrt(1 - Math.pow(0.999, step)) + 1e-8;
          ref[k][i] -= lr / (1 - Math.pow(0.9, step)) * m[k][i] / denom;
        }
      }
    }
    for (int i = 0; i < 2; i++) {
      assertThat((double) w.values()[i]).isCloseTo(ref[0][i], within(1e-6));
      assertThat((double) b.values()[i]).isCloseTo(ref[1][i], within(1e-6));
    }
    assertThat(adamw.state().keySet()).containsExactly("exp_avg.w", "exp_avg.b", "exp_avg_sq.w", "exp_avg_sq.b");
  }

  @Test
  void sgdWithMomentumAndDecayMatchesTorchByHand() {
    ArrayEngine e = new ArrayEngine();
    HostTensor w = ArrayEngine.param("w", new long[] {1, 2}, 1f, 2f); // 2-D: decays
    HostTensor b = ArrayEngine.param("b", new long[] {1}, 1f); // 1-D: no decay
    Map<String, HostTensor> params = new LinkedHashMap<>();
    params.put("w", w);
    params.put("b", b);
    Sgd<HostTensor> sgd = new Sgd<>(e, 0.9, 0.1);
    for (int step = 0; step < 2; step++) {
      ArrayEngine.setGradient(w, 0.5f, 0.5f);
      ArrayEngine.setGradient(b, 0.5f);
      sgd.step(params, 0.1);
    }
    // w[0]: d1 = 0.5 + 0.1 * 1 = 0.6, buf 0.6, w 0.94; d2 = 0.5 + 0.094 = 0.594, buf 0.54 + 0.594 = 1.134,
    // w = 0.94 - 0.1134 = 0.8266
    assertThat(w.values()[0]).isCloseTo(0.8266f, within(1e-6f));
    // b: d = 0.5 twice, buf 0.5 then 0.95, b = 1 - 0.05 - 0.095 = 0.855
    assertThat(b.values()[0]).isCloseTo(0.855f, within(1e-6f));
  }

  @Test
  void theLoopFollowsTheScheduleClipsAndAccumulates() throws Exception {
    // SGD at a constant rate on loss = mean((w - y)^2): each step is w -= lr * clip(2 (w - y) / n)
    TrainingConfig config = config("plain").optSteps(5).optClipGradNorm(0.5).build();
    Toy toy = new Toy(new ArrayEngine(), config);
    TrainingReportView r = toy.run(batches(1, TARGET));
    double[] w = {0, 0};
    for (int s = 0; s < 5; s++) {
      double[] d = {(w[0] - 1) * 2 / 2, (w[1] + 2) * 2 / 2};
      double n = Math.hypot(d[0], d[1]);
      double coef = Math.min(1, 0.5 / (n + 1e-6));
      for (int i = 0; i < 2; i++) {
        w[i] -= 0.1 * coef * d[i];
      }
    }
    assertThat((double) toy.w.values()[0]).isCloseTo(w[0], within(1e-6));
    assertThat((double) toy.w.values()[1]).isCloseTo(w[1], within(1e-6));
    assertThat(r.steps).isEqualTo(5);
    assertThat(toy.engine.scopesOpen).isZero();

    // two micro-batches of one target each step the mean of their gradients, as one batch of both would
    TrainingConfig accumulate = config("accumulate").optSteps(3).optGradientAccumulation(2).build();
    Toy two = new Toy(new ArrayEngine(), accumulate);
    two.run(batches(2, new float[] {3f, 0f}, new float[] {-1f, -4f}));
    Toy one = new Toy(new ArrayEngine(), config("mean").optSteps(3).build());
    one.run(batches(1, new float[] {1f, -2f}));
    for (int i = 0; i < 2; i++) {
      assertThat(two.w.values()[i]).isCloseTo(one.w.values()[i], within(1e-6f));
    }
  }

  @Test
  void aNonFiniteLossStopsBeforeTheUpdateNamingTheStep() throws Exception {
    Toy toy = new Toy(new ArrayEngine(), config("nan").optSteps(3).build());
    List<float[]> targets = List.of(TARGET, new float[] {Float.NaN, 0f});
    assertThatThrownBy(() -> toy.run(batches(1, targets.toArray(float[][]::new))))
        .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("training stopped at step 2")
        .hasMessageContaining("w (gradient)");
    float[] afterOne = {0.1f, -0.2f}; // one step of lr 0.1 on the gradient w - y = -y
    assertThat(toy.w.values()[0]).isCloseTo(afterOne[0], within(1e-6f));
    assertThat(toy.w.values()[1]).isCloseTo(afterOne[1], within(1e-6f));
  }

  @Test
  void aResumedRunContinuesExactlyAsAStraightOne() throws Exception {
    TrainingConfig straight = config("straight").optOptimizer(TrainingConfig.Optimizer.ADAMW).optSteps(6)
        .optCheckpointEvery(3).build();
    Toy a = new Toy(new ArrayEngine(), straight);
    a.run(batches(1, TARGET, new float[] {0.5f, 0.25f}));

    Path checkpoint = straight.outputDir().resolve("checkpoint-000003");
    TrainingConfig resumed = straight.toBuilder().setOutputDir(tmp.resolve("resumed")).build();
    Toy b = new Toy(new ArrayEngine(), resumed);
    TrainerState.Saved saved = TrainerState.read(checkpoint, TrainingStage.CONTRASTIVE.id(), resumed);
    try (SafetensorsFile f = SafetensorsFile.open(checkpoint.resolve("w.safetensors"))) {
      System.arraycopy(f.floats("w"), 0, b.w.values(), 0, 2);
    }
    b.optimizer.restore(saved.step(), saved.buffers(), b.task.parameters());
    b.run(batches(1, TARGET, new float[] {0.5f, 0.25f}));
    assertThat(b.w.values()).containsExactly(a.w.values());
  }

  private TrainingConfig.Builder config(String name) {
    return TrainingConfig.builder().setOutputDir(tmp.resolve(name)).optOptimizer(TrainingConfig.Optimizer.SGD)
        .optMomentum(0).optWeightDecay(0).optLearningRate(0.1).optMinLearningRate(0.1).optWarmupSteps(0)
        .optClipGradNorm(0).optLogEvery(1);
  }

  /** What a run reports that these tests read. */
  record TrainingReportView(long steps) {}

  /** A stage over one parameter w [1, 2] with loss mean((w - y)^2), y a batch's label row. */
  static final class Toy {
    final ArrayEngine engine;
    final TrainingConfig config;
    final HostTensor w = ArrayEngine.param("w", new long[] {1, 2}, 0f, 0f);
    final UpdateRule<HostTensor> optimizer;
    final TrainingTask<HostTensor> task;

    Toy(ArrayEngine engine, TrainingConfig config) {
      this.engine = engine;
      this.config = config;
      this.optimizer = UpdateRule.of(config, engine);
      this.task = new TrainingTask<>() {
        @Override
        public Map<String, HostTensor> parameters() {
          return Map.of("w", w);
        }

        @Override
        public HostTensor loss(TrainingBatch batch) {
          float[] y = batch.labels()[0];
          float[] v = w.values();
          double l = 0;
          float[] d = new float[2];
          for (int i = 0; i < 2; i++) {
            l += (v[i] - y[i]) * (v[i] - y[i]) / 2;
            d[i] = v[i] - y[i];
          }
          return HostTensor.loss(l, f -> w.accumulate(f, d));
        }

        @Override
        public void setTraining(boolean training) {}

        @Override
        public Map<String, Double> evaluate(BatchSource validation) {
          return Map.of();
        }

        @Override
        public void writeCheckpoint(Path dir, TrainerState state) throws IOException {
          CheckpointWriter writer = CheckpointWriter.begin(dir);
          writer.writeTensors("w.safetensors", Map.of("w", Tensor.ofFloats(w.shape(), w.values().clone())), Map.of());
          state.write(writer, TrainingStage.CONTRASTIVE.id());
          writer.commit();
        }
      };
    }

    TrainingReportView run(BatchSource data) {
      TrainingLoop<HostTensor> loop = new TrainingLoop<>(config, engine, optimizer, 2, 2);
      return new TrainingReportView(loop.run(task, data, null, TrainingListener.none()).steps());
    }
  }

  /** Batches of one image each, labelled with the targets in turn (one epoch = every target once). */
  private static BatchSource batches(int perStep, float[]... targets) {
    return new BatchSource() {
      @Override
      public Iterator<TrainingBatch> epoch(int epoch) {
        List<TrainingBatch> out = new ArrayList<>();
        for (float[] t : targets) {
          out.add(new TrainingBatch(new ImageBatch(new float[1], 1, 1, 1, 1), null, new float[][] {t}));
        }
        return out.iterator();
      }

      @Override
      public int batchesPerEpoch() {
        return targets.length;
      }
    };
  }
}
