package org.cleft.djl.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.spi.BackendOptions;
import org.cleft.djl.DjlCleftModel;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt tuning writes prompts that load as a classifier, resumes exactly, and starts from the init text. */
class PromptLearnerTest {
  private static final List<String> CLASSES = List.of("atelectasis", "cardiomegaly", "consolidation", "edema",
      "pleural effusion");
  @TempDir
  Path tmp;

  private TrainingConfig.Builder config(Path out) {
    return TrainingConfig.promptDefaults().setOutputDir(out).optSteps(6).optPromptContext(4).optLearningRate(1e-2)
        .optMinLearningRate(1e-2).optCheckpointEvery(3).optSeed(5);
  }

  @Test
  void learnedPromptsLoadAsAClassifierAndResumeExactly() throws Exception {
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base"));
    RandomPairs data = new RandomPairs(2, 4, 56, 5, 4, -1);
    float[] initial;
    try (DjlPromptLearner learner = DjlPromptLearner.create(base, config(tmp.resolve("a")).build(), false,
        BackendOptions.defaults())) {
      initial = learner.context();
      TrainingReport r = learner.learn(CLASSES, data, null, TrainingListener.none());
      assertThat(r.trainableParameters()).isEqualTo(4L * 32);
      assertThat(learner.context()).isNotEqualTo(initial);
    }
    Path fin = tmp.resolve("a/final");
    CleftCheckpoint ckpt = CleftCheckpoint.open(fin);
    assertThat(ckpt.manifest().prompt().classNames()).containsExactlyElementsOf(CLASSES);
    assertThat(ckpt.manifest().prompt().nCtx()).isEqualTo(4);
    try (DjlCleftModel model = DjlCleftModel.load(fin, BackendOptions.defaults());
        SafetensorsFile prompt = SafetensorsFile.open(fin.resolve("prompt.safetensors"))) {
      Optional<ZeroShotClassifier> zs = model.promptTuned();
      assertThat(zs).isPresent();
      assertThat(zs.get().classNames()).containsExactlyElementsOf(CLASSES);
      assertThat(zs.get().classEmbeddings().data()).containsExactly(prompt.floats("class_embeds"));
      assertThat(prompt.info("ctx").shape()).containsExactly(4, 32);
    }
    // N + resume + N equals 2N
    try (DjlPromptLearner learner = DjlPromptLearner.create(tmp.resolve("a/checkpoint-000003"),
        config(tmp.resolve("b")).build(), true, BackendOptions.defaults())) {
      learner.learn(CLASSES, data, null, TrainingListener.none());
    }
    try (SafetensorsFile a = SafetensorsFile.open(fin.resolve("prompt.safetensors"));
        SafetensorsFile b = SafetensorsFile.open(tmp.resolve("b/final/prompt.safetensors"))) {
      float[] x = a.floats("ctx");
      float[] y = b.floats("ctx");
      for (int i = 0; i < x.length; i++) {
        assertThat(Math.abs(x[i] - y[i])).isLessThanOrEqualTo(1e-6f);
      }
    }
    assertThat(Files.isSameFile(fin.resolve("heads.safetensors"), base.resolve("heads.safetensors"))
        || Files.mismatch(fin.resolve("heads.safetensors"), base.resolve("heads.safetensors")) == -1).isTrue();
  }

  @Test
  void theBestEvaluationIsKeptInBest() throws Exception {
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base3"));
    RandomPairs data = new RandomPairs(2, 4, 56, 5, 4, -1);
    RandomPairs validation = new RandomPairs(2, 6, 56, 5, 8, -1);
    TrainingReport r;
    try (DjlPromptLearner learner = DjlPromptLearner.create(base, config(tmp.resolve("d")).optSteps(8)
        .optEvalEvery(2).optCheckpointEvery(0).optSelectBest("prompt_tuned_accuracy").build(), false,
        BackendOptions.defaults())) {
      r = learner.learn(CLASSES, data, validation, TrainingListener.none());
    }
    double bestSeen = -1;
    long bestStep = -1;
    for (String line : Files.readAllLines(tmp.resolve("d/metrics.jsonl"))) {
      if (line.contains("\"type\":\"eval\"")) {
        double acc = Double.parseDouble(line.replaceAll(".*\"prompt_tuned_accuracy\":([-0-9.Ee]+).*", "$1"));
        long step = Long.parseLong(line.replaceAll(".*\"step\":([0-9]+).*", "$1"));
        if (acc > bestSeen) {
          bestSeen = acc;
          bestStep = step;
        }
      }
    }
    assertThat(r.bestCheckpoint()).isEqualTo(tmp.resolve("d/best"));
    assertThat(r.bestMetrics().get("prompt_tuned_accuracy")).isEqualTo(bestSeen);
    assertThat(Files.readString(tmp.resolve("d/best/trainer/state.json"))).contains("\"step\" : " + bestStep);
    try (DjlCleftModel model = DjlCleftModel.load(tmp.resolve("d/best"), BackendOptions.defaults())) {
      assertThat(model.promptTuned()).isPresent();
    }
  }

  @Test
  void contextStartsAsTheInitTextsTokenEmbeddingsRepeated() throws Exception {
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base2"));
    try (DjlPromptLearner learner = DjlPromptLearner.create(base, config(tmp.resolve("c")).optPromptContext(12)
        .optPromptInitText("chest x ray").build(), false, BackendOptions.defaults());
        DjlCleftModel model = DjlCleftModel.load(base, BackendOptions.defaults());
        SafetensorsFile text = SafetensorsFile.open(base.resolve("text/model.safetensors"))) {
      long[] ids = model.textEncoder().tokenizer().ids("chest x ray");
      float[] wte = text.floats("wte.weight");
      float[] ctx = learner.context();
      for (int i = 0; i < 12; i++) {
        long id = ids[i % ids.length];
        for (int j = 0; j < 32; j++) {
          assertThat(ctx[i * 32 + j]).isEqualTo(wte[(int) id * 32 + j]);
        }
      }
    }
  }
}
