package org.cleft.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine-neutral trainer state, checkpoint writing, metrics log and provenance. */
class TrainingCoreTest {
  @TempDir
  Path tmp;

  @Test
  void trainerStateRoundTripsAndARunWithOtherSettingsIsRefused() throws Exception {
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp).optSteps(10).optWarmupSteps(2).optSeed(7)
        .optSelectBest("zero_shot_accuracy").build();
    Map<String, Tensor> buffers = new LinkedHashMap<>();
    buffers.put("exp_avg.w", Tensor.ofFloats(new long[] {2}, new float[] {0.5f, -1f}));
    buffers.put("exp_avg_sq.w", Tensor.ofFloats(new long[] {2}, new float[] {0.25f, 1f}));
    CheckpointWriter w = CheckpointWriter.begin(tmp.resolve("checkpoint-000004"));
    new TrainerState(4, config, buffers, new TrainerState.Best("zero_shot_accuracy", 0.75)).write(w, "pretrain");
    Path dir = w.commit();
    assertThat(dir.resolve("trainer/state.json")).isRegularFile();
    assertThat(tmp.resolve(".checkpoint-000004.partial")).doesNotExist();

    TrainerState.Saved saved = TrainerState.read(dir, "pretrain", config);
    assertThat(saved.step()).isEqualTo(4);
    assertThat(saved.buffers().keySet()).containsExactly("exp_avg.w", "exp_avg_sq.w");
    assertThat(saved.buffers().get("exp_avg.w").toFloats()).containsExactly(0.5f, -1f);
    assertThat(saved.best()).isEqualTo(new TrainerState.Best("zero_shot_accuracy", 0.75));

    TrainingConfig otherSeed = config.toBuilder().optSeed(8).build();
    assertThatThrownBy(() -> TrainerState.read(dir, "pretrain", otherSeed)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("'seed' is 7 but this run has 8");
    assertThatThrownBy(() -> TrainerState.read(dir, "prompt", config)).hasMessageContaining("'stage'");
  }

  @Test
  void metricsLogKeepsTheStepsUpToAResumedCheckpoint() throws Exception {
    MetricsLog log = new MetricsLog(tmp.resolve("run/metrics.jsonl"));
    for (int step = 1; step <= 4; step++) {
      log.step(step, 1.0 / step, 1e-4, 10, step);
    }
    log.eval(4, Map.of("zero_shot_accuracy", 0.5));
    log.keepUpTo(2);
    assertThat(Files.readAllLines(log.file())).hasSize(2).allMatch(l -> l.contains("\"type\":\"step\""));
  }

  @Test
  void provenanceNamesTheEngineItWasGiven() {
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp).optSteps(10).optWarmupSteps(2).build();
    Map<String, Object> p = TrainingProvenance.of("tf", Map.of("tensorflow_version", "2.18.0"), "pretrain", config, 3,
        tmp.resolve("base")).toMap();
    assertThat(p).containsEntry("backend", "tf").containsEntry("tensorflow_version", "2.18.0")
        .containsEntry("step", 3L).containsEntry("steps", 10L).containsKey("written_at").doesNotContainKey("djl_version");
  }
}
