package org.cleft.djl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.cleft.testkit.RandomPairs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 500 training steps leave native memory flat: no array is left on the model's manager (exact), and
 * the process's resident memory does not climb (coarse, above allocator noise).
 */
class TrainingMemoryTest {
  @TempDir
  Path tmp;

  @Test
  void fiveHundredStepsKeepNativeMemoryFlat() throws Exception {
    Path base = tmp.resolve("base");
    Fixtures.copy(Fixtures.tiny(), base);
    Files.writeString(base.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"text\": {\"adapter\": \"lora\"}}");
    RandomPairs data = new RandomPairs(4, 2, 28, 5, 9, -1);
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp.resolve("run")).optSteps(600)
        .optWarmupSteps(10).optLearningRate(1e-4).optCheckpointEvery(0).optLogEvery(100).optClipGradNorm(1).build();
    long[] rss = new long[6];
    int[] arrays = new int[6];
    try (DjlContrastiveTrainer t = DjlContrastiveTrainer.create(base, config, false, BackendOptions.defaults())) {
      t.train(data, null, new TrainingListener() {
        @Override
        public void onStep(long step, long total, double loss, double lr, double rate) {
          if (step % 100 == 0) {
            int i = (int) (step / 100) - 1;
            arrays[i] = t.model().liveArrays();
            rss[i] = residentKb();
          }
        }
      });
    }
    // step 100 is the warm-up (optimiser buffers are created at step 1); the next 500 steps must add nothing
    for (int i = 1; i < arrays.length; i++) {
      assertThat(arrays[i]).as("arrays on the model's manager after %d steps", (i + 1) * 100).isEqualTo(arrays[0]);
    }
    long before = Math.min(rss[0], rss[1]);
    assertThat(rss[5] - before).as("RSS growth in KiB over 500 steps (%d -> %d)", before, rss[5]).isLessThan(100_000);
  }

  @Test
  void promptTuningLeavesNoArrayBehind() throws Exception {
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base2"));
    RandomPairs data = new RandomPairs(4, 2, 28, 5, 9, -1);
    TrainingConfig config = TrainingConfig.promptDefaults().setOutputDir(tmp.resolve("prompt")).optSteps(300)
        .optPromptContext(4).optCheckpointEvery(0).optLogEvery(100).build();
    int[] arrays = new int[3];
    try (DjlPromptLearner learner = DjlPromptLearner.create(base, config, false, BackendOptions.defaults())) {
      org.cleft.djl.DjlCleftModel model = learner.model();
      learner.learn(java.util.List.of("a", "b", "c", "d", "e"), data, null, new TrainingListener() {
        @Override
        public void onStep(long step, long total, double loss, double lr, double rate) {
          if (step % 100 == 0) {
            arrays[(int) (step / 100) - 1] = model.liveArrays();
          }
        }
      });
    }
    assertThat(arrays[2]).as("arrays after 300 prompt steps").isEqualTo(arrays[0]);
    assertThat(arrays[1]).isEqualTo(arrays[0]);
  }

  private static long residentKb() {
    System.gc();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
