package org.cleft.djl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.checkpoint.RandomCheckpoint;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.LoaderBatchSource;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small model trained from scratch on synthetic image-report pairs must classify held-out images
 * zero-shot clearly above chance (0.2 for five classes).
 */
class LearningTest {
  @TempDir
  Path tmp;

  @Test
  void zeroShotAccuracyRisesWellAboveChance() throws Exception {
    int size = 56;
    Path base = new RandomCheckpoint(64, 2, 4, 32, 64, 2, 4, 14, size, 2, 32)
        .write(tmp.resolve("base"), Fixtures.tiny().resolve("text"), 50257, 7);
    long steps = Long.getLong("cleft.test.learningSteps", 150);
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp.resolve("run")).optSteps(steps)
        .optLearningRate(5e-4).optWarmupSteps(20).optMinLearningRate(1e-5).optWeightDecay(0.05)
        .optText(TrainingConfig.TextTraining.FULL).optClassNames(SyntheticPairs.CLASSES)
        .optCheckpointEvery(0).optEvalEvery(0).optSeed(3).build();
    try (HfTextTokenizer tok = TextTokenizers.fromDirectory(base.resolve("text"));
        BatchLoader train = SyntheticPairs.loader(SyntheticPairs.samples(400, 1, 64), tok, size, 32, true, 5);
        BatchLoader valid = SyntheticPairs.loader(SyntheticPairs.samples(100, 2, 64), tok, size, 50, false, 0);
        DjlContrastiveTrainer trainer = DjlContrastiveTrainer.create(base, config, false, BackendOptions.defaults())) {
      long t0 = System.nanoTime();
      TrainingReport report = trainer.train(new LoaderBatchSource(train), new LoaderBatchSource(valid),
          new TrainingListener() {
            @Override
            public void onStep(long step, long total, double loss, double lr, double rate) {
              if (step % 25 == 0) {
                System.out.printf("step %d loss %.4f lr %.2e %.1f img/s%n", step, loss, lr, rate);
              }
            }
          });
      Map<String, Double> m = report.metrics();
      System.out.printf("trained %d steps in %.1f s: %s%n", steps, (System.nanoTime() - t0) / 1e9, m);
      assertThat(m.get("zero_shot_accuracy")).isGreaterThan(0.5);
      assertThat(m.get("zero_shot_macro_auc")).isGreaterThan(0.75);
      assertThat(report.checkpoint()).isDirectory();
    }
  }
}
