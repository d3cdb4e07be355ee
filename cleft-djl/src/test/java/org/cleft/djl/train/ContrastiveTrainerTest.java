package org.cleft.djl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cleft.api.Embeddings;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingDivergedException;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.spi.BackendOptions;
import org.cleft.djl.DjlCleftModel;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume exactness, checkpoints that load, NaN stops, and the trainable-parameter report. */
class ContrastiveTrainerTest {
  private static final int SIZE = 56;
  @TempDir
  Path tmp;

  private Path base() throws Exception {
    Path dir = tmp.resolve("base");
    Fixtures.copy(Fixtures.tiny(), dir);
    Files.writeString(dir.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"format_version\": 1, "
        + "\"text\": {\"path\": \"text\", \"adapter\": \"lora\"}}");
    return dir;
  }

  private TrainingConfig.Builder config(Path out, long steps) {
    return TrainingConfig.builder().setOutputDir(out).optSteps(steps).optLearningRate(1e-3).optWarmupSteps(2)
        .optMinLearningRate(1e-5).optGradientAccumulation(2).optClipGradNorm(1.0).optSeed(11);
  }

  @Test
  void resumingContinuesExactlyAsAStraightRun() throws Exception {
    Path base = base();
    RandomPairs data = new RandomPairs(3, 4, SIZE, 5, 1, -1);
    TrainingConfig straight = config(tmp.resolve("straight"), 6).optCheckpointEvery(3).build();
    try (DjlContrastiveTrainer t = DjlContrastiveTrainer.create(base, straight, false, BackendOptions.defaults())) {
      TrainingReport r = t.train(data, null, TrainingListener.none());
      assertThat(r.steps()).isEqualTo(6);
    }
    Path half = tmp.resolve("straight/checkpoint-000003");
    assertThat(half.resolve("trainer/optimizer.safetensors")).isRegularFile();
    TrainingConfig resumed = config(tmp.resolve("resumed"), 6).optCheckpointEvery(3).build();
    try (DjlContrastiveTrainer t = DjlContrastiveTrainer.create(half, resumed, true, BackendOptions.defaults())) {
      TrainingReport r = t.train(data, null, TrainingListener.none());
      assertThat(r.steps()).isEqualTo(6);
    }
    for (String file : List.of("vision/model.safetensors", "lora/adapter_model.safetensors", "heads.safetensors",
        "trainer/optimizer.safetensors")) {
      assertSame(tmp.resolve("straight/final").resolve(file), tmp.resolve("resumed/final").resolve(file), 1e-6);
    }
    assertChanged(base.resolve("heads.safetensors"), tmp.resolve("straight/final/heads.safetensors"));
    // a different schedule is not the same run: refused, naming the field
    TrainingConfig otherLr = config(tmp.resolve("other"), 6).optLearningRate(5e-4).build();
    assertThatThrownBy(() -> DjlContrastiveTrainer.create(half, otherLr, true, BackendOptions.defaults()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("learning_rate");
  }

  @Test
  void finalCheckpointLoadsAndEncodesLikeTheTrainedModel() throws Exception {
    Path base = base();
    RandomPairs data = new RandomPairs(2, 4, SIZE, 5, 2, -1);
    try (DjlContrastiveTrainer t = DjlContrastiveTrainer.create(base, config(tmp.resolve("run"), 3).build(), false,
        BackendOptions.defaults())) {
      TrainingReport r = t.train(data, null, TrainingListener.none());
      assertThat(r.trainableParameters()).isPositive().isLessThan(r.totalParameters());
      assertThat(r.trainablePercent()).isBetween(0.0, 100.0);
      List<String> texts = List.of("this is a chest x ray of a patient with edema", "no finding");
      Embeddings live = t.model().textEncoder().encodeTexts(texts);
      try (DjlCleftModel loaded = DjlCleftModel.load(r.checkpoint(), BackendOptions.defaults())) {
        Embeddings reloaded = loaded.textEncoder().encodeTexts(texts);
        for (int i = 0; i < live.rows() * live.dim(); i++) {
          assertThat(reloaded.data()[i]).isCloseTo(live.data()[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
      }
    }
    assertThat(tmp.resolve("run/metrics.jsonl")).isRegularFile();
    assertThat(Files.readAllLines(tmp.resolve("run/metrics.jsonl"))).hasSize(3)
        .allSatisfy(l -> assertThat(l).contains("\"type\":\"step\"").contains("\"loss\""));
    try (Stream<Path> s = Files.list(tmp.resolve("run"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  @Test
  void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
    Path base = base();
    RandomPairs data = new RandomPairs(10, 4, SIZE, 5, 3, 4); // micro-batch 4 (step 3) is NaN
    TrainingConfig config = config(tmp.resolve("run"), 8).optCheckpointEvery(2).build();
    try (DjlContrastiveTrainer t = DjlContrastiveTrainer.create(base, config, false, BackendOptions.defaults())) {
      assertThatThrownBy(() -> t.train(data, null, TrainingListener.none()))
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("step 3").hasMessageContaining("NaN").hasMessageContaining("checkpoint-000002")
          .satisfies(e -> assertThat(((TrainingDivergedException) e).lastGoodCheckpoint())
              .isEqualTo(tmp.resolve("run/checkpoint-000002")));
    }
    assertThat(tmp.resolve("run/checkpoint-000002/cleft.json")).isRegularFile();
    assertThat(tmp.resolve("run/final")).doesNotExist();
  }

  @Test
  void resumingACheckpointWithoutTrainerStateFailsNamingTheFile() throws Exception {
    Path base = base();
    assertThatThrownBy(() -> DjlContrastiveTrainer.create(base, config(tmp.resolve("r"), 4).build(), true,
        BackendOptions.defaults()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("trainer/state.json");
  }

  @Test
  void adapterTrainingWithoutAnAdapterIsRefused() throws Exception {
    Path base = tmp.resolve("noadapter");
    Fixtures.copy(Fixtures.tiny(), base);
    assertThatThrownBy(() -> DjlContrastiveTrainer.create(base, config(tmp.resolve("r"), 4).build(), false,
        BackendOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ADAPTER");
  }

  private static void assertSame(Path a, Path b, double tol) throws Exception {
    try (SafetensorsFile fa = SafetensorsFile.open(a); SafetensorsFile fb = SafetensorsFile.open(b)) {
      assertThat(fb.names()).as(b.toString()).containsExactlyInAnyOrderElementsOf(fa.names());
      for (String n : fa.names()) {
        float[] x = fa.floats(n);
        float[] y = fb.floats(n);
        double max = 0;
        for (int i = 0; i < x.length; i++) {
          max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        assertThat(max).as(a.getFileName() + " " + n).isLessThanOrEqualTo(tol);
      }
    }
  }

  private static void assertChanged(Path a, Path b) throws Exception {
    try (SafetensorsFile fa = SafetensorsFile.open(a); SafetensorsFile fb = SafetensorsFile.open(b)) {
      assertThat(fb.floats("text_projection.weight")).isNotEqualTo(fa.floats("text_projection.weight"));
    }
  }
}
