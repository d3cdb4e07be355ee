package org.cleft.djl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.checkpoint.RandomCheckpoint;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.LoaderBatchSource;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop must drive the loss of one repeated batch of distinct pairs far down. */
class OverfitTest {
  @TempDir
  Path tmp;

  @Test
  void overfitsOneBatch() throws Exception {
    Path base = new RandomCheckpoint(32, 1, 2, 32, 32, 1, 2, 14, 28, 0, 16)
        .write(tmp.resolve("base"), Fixtures.tiny().resolve("text"), 50257, 7);
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp.resolve("run")).optSteps(60)
        .optLearningRate(3e-3).optWarmupSteps(0).optWeightDecay(0).optText(TrainingConfig.TextTraining.FULL)
        .optCheckpointEvery(0).optSeed(3).build();
    List<Double> losses = new ArrayList<>();
    try (HfTextTokenizer tok = TextTokenizers.fromDirectory(base.resolve("text"));
        BatchLoader data = SyntheticPairs.loader(SyntheticPairs.samples(5, 1, 32), tok, 28, 5, false, 0);
        DjlContrastiveTrainer trainer = DjlContrastiveTrainer.create(base, config, false, BackendOptions.defaults())) {
      trainer.train(new LoaderBatchSource(data), null, new TrainingListener() {
        @Override
        public void onStep(long step, long total, double loss, double lr, double rate) {
          losses.add(loss);
        }
      });
    }
    System.out.println("losses " + losses);
    assertThat(losses.get(0)).isGreaterThan(2.5);
    assertThat(losses.get(losses.size() - 1)).isLessThan(0.2);
  }
}
