package org.cleft.djl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.api.Device;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.cleft.testkit.RandomPairs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on CUDA gives what training on the CPU gives. Needs a CUDA libtorch for DJL (see
 * docs/gpu.md); tagged {@code gpu}, excluded by default: run with
 * {@code -Dcleft.gpu=true -Dcleft.excludedGroups=}.
 */
@Tag("gpu")
@EnabledIfSystemProperty(named = "cleft.gpu", matches = "true")
class GpuTrainingTest {
  @TempDir
  Path tmp;

  @Test
  void threeStepsOnCudaMatchTheCpu() throws Exception {
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base"));
    Files.writeString(base.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"text\": {\"adapter\": \"lora\"}}");
    RandomPairs data = new RandomPairs(3, 4, 56, 5, 1, -1);
    float[] cpu = train(base, tmp.resolve("cpu"), BackendOptions.defaults(), data);
    float[] gpu = train(base, tmp.resolve("gpu"), BackendOptions.defaults().withDevice(Device.cuda(0)), data);
    for (int i = 0; i < cpu.length; i++) {
      assertThat(Math.abs(gpu[i] - cpu[i])).as("text_projection.weight[%d]", i).isLessThan(1e-3f);
    }
  }

  private static float[] train(Path base, Path out, BackendOptions options, RandomPairs data) throws Exception {
    TrainingConfig config = TrainingConfig.builder().setOutputDir(out).optSteps(3).optWarmupSteps(1)
        .optLearningRate(1e-3).optCheckpointEvery(0).build();
    try (DjlContrastiveTrainer t = DjlContrastiveTrainer.create(base, config, false, options)) {
      TrainingReport r = t.train(data, null, TrainingListener.none());
      try (SafetensorsFile heads = SafetensorsFile.open(r.checkpoint().resolve("heads.safetensors"))) {
        return heads.floats("text_projection.weight");
      }
    }
  }
}
