package org.cleft.tf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.testkit.Fixtures;
import org.cleft.testkit.RandomPairs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 500 training steps on TensorFlow leave native memory flat: the trainer's graphs, tensors and open run values stay
 * the same (exact), and the process's resident memory does not climb (coarse, above allocator noise).
 */
class TfTrainingMemoryTest {
  @TempDir
  Path tmp;

  @Test
  void fiveHundredStepsKeepNativeMemoryFlat() throws Exception {
    Path base = Fixtures.trainableTiny(tmp.resolve("base"));
    RandomPairs data = new RandomPairs(4, 2, 28, 5, 9, -1);
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp.resolve("run")).optSteps(600)
        .optWarmupSteps(10).optLearningRate(1e-4).optCheckpointEvery(0).optLogEvery(100).optClipGradNorm(1).build();
    long[] rss = new long[6];
    long[] objects = new long[6];
    try (TfContrastiveTrainer t = TfContrastiveTrainer.create(base, config, false)) {
      t.train(data, null, new TrainingListener() {
        @Override
        public void onStep(long step, long total, double loss, double lr, double rate) {
          if (step % 100 == 0) {
            int i = (int) (step / 100) - 1;
            objects[i] = t.nativeObjects();
            rss[i] = residentKb();
          }
        }
      });
    }
    // step 100 is the warm-up (the graph at the batches' size is built at step 1); the next 500 steps add nothing
    for (int i = 1; i < objects.length; i++) {
      assertThat(objects[i]).as("native objects after %d steps", (i + 1) * 100).isEqualTo(objects[0]);
    }
    long before = Math.min(rss[0], rss[1]);
    assertThat(rss[5] - before).as("RSS growth in KiB over 500 steps (%d -> %d)", before, rss[5]).isLessThan(100_000);
  }

  private static long residentKb() {
    System.gc();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
