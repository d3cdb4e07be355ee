package org.cleft.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.Embeddings;
import org.cleft.api.PromptLearner;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingDivergedException;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.eval.ZeroShotEvaluation;
import org.cleft.api.eval.ZeroShotResult;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.cleft.testkit.RandomPairs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every training backend must do, written once and run on each (the training half of the contract suite; see
 * {@link InferenceContract}): both CLEFT stages through the {@link Backend} API, resuming exactly, checkpoints that load
 * and classify, a NaN stop that keeps the last good checkpoint, the best evaluation kept, and load errors that name
 * the file. A backend's subclass names it and, where it can, hands the suite its trainers' live state.
 * Gradients and the AdamW step against HuggingFace are {@code cleft verify}'s.
 */
public abstract class TrainingContract {
  private static final int SIZE = 56;
  private static final List<String> CLASSES = List.of("atelectasis", "cardiomegaly", "consolidation", "edema",
      "pleural effusion");

  /** A test's temporary folder. */
  @TempDir
  protected Path tmp;

  /** Creates the suite (JUnit instantiates the subclass). */
  protected TrainingContract() {}

  /** {@return the backend's provider name} */
  protected abstract String backendName();

  /** {@return the options the backend is opened with; default {@link BackendOptions#defaults()}} */
  protected BackendOptions options() {
    return BackendOptions.defaults();
  }

  /**
   * {@return the model a contrastive trainer is training (its encoders see the current weights), or null when the
   * backend does not expose it (the live-versus-reloaded test is then skipped)}
   *
   * @param trainer a trainer of this backend
   */
  protected CleftModel liveModel(ContrastiveTrainer trainer) {
    return null;
  }

  /**
   * {@return a prompt learner's context vectors now, [context, width], or null when the backend does not expose them
   * (the initialisation test is then skipped)}
   *
   * @param learner a learner of this backend
   */
  protected float[] context(PromptLearner learner) {
    return null;
  }

  /** {@return whether the backend learns context prompts (stage 2); the prompt tests are skipped when not} */
  protected boolean learnsPrompts() {
    return true;
  }

  private Backend open() {
    return Backends.open(Capability.TRAINING, backendName(), options());
  }

  private void assumePrompts() {
    assumeTrue(learnsPrompts(), backendName() + " has no prompt learner yet");
  }

  private Path base() throws Exception {
    return base("base");
  }

  private Path base(String name) throws Exception {
    Path dir = tmp.resolve(name);
    Fixtures.copy(Fixtures.tiny(), dir);
    Files.writeString(dir.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"format_version\": 1, "
        + "\"text\": {\"path\": \"text\", \"adapter\": \"lora\"}}");
    return dir;
  }

  private static TrainingConfig.Builder contrastive(Path out, long steps) {
    return TrainingConfig.builder().setOutputDir(out).optSteps(steps).optLearningRate(1e-3).optWarmupSteps(2)
        .optMinLearningRate(1e-5).optGradientAccumulation(2).optClipGradNorm(1.0).optSeed(11);
  }

  private static TrainingConfig.Builder prompt(Path out) {
    return TrainingConfig.promptDefaults().setOutputDir(out).optSteps(6).optPromptContext(4).optLearningRate(1e-2)
        .optMinLearningRate(1e-2).optCheckpointEvery(3).optSeed(5);
  }

  /**
   * Six steps equal three, a resume from the checkpoint, and three more; a different schedule is refused.
   *
   * @throws Exception when the fixture cannot be copied or trained
   */
  @Test
  public void resumingContinuesExactlyAsAStraightRun() throws Exception {
    Path base = base();
    RandomPairs data = new RandomPairs(3, 4, SIZE, 5, 1, -1);
    TrainingConfig straight = contrastive(tmp.resolve("straight"), 6).optCheckpointEvery(3).build();
    try (Backend backend = open(); ContrastiveTrainer t = backend.contrastiveTrainer(base, straight, false)) {
      assertThat(t.train(data, null, TrainingListener.none()).steps()).isEqualTo(6);
    }
    Path half = tmp.resolve("straight/checkpoint-000003");
    assertThat(half.resolve("trainer/optimizer.safetensors")).isRegularFile();
    TrainingConfig resumed = contrastive(tmp.resolve("resumed"), 6).optCheckpointEvery(3).build();
    try (Backend backend = open(); ContrastiveTrainer t = backend.contrastiveTrainer(half, resumed, true)) {
      assertThat(t.train(data, null, TrainingListener.none()).steps()).isEqualTo(6);
    }
    for (String file : List.of("vision/model.safetensors", "lora/adapter_model.safetensors", "heads.safetensors",
        "trainer/optimizer.safetensors")) {
      assertClose(tmp.resolve("straight/final").resolve(file), tmp.resolve("resumed/final").resolve(file), 1e-6);
    }
    try (SafetensorsFile before = SafetensorsFile.open(base.resolve("heads.safetensors"));
        SafetensorsFile after = SafetensorsFile.open(tmp.resolve("straight/final/heads.safetensors"))) {
      assertThat(after.floats("text_projection.weight")).isNotEqualTo(before.floats("text_projection.weight"));
    }
    TrainingConfig otherLr = contrastive(tmp.resolve("other"), 6).optLearningRate(5e-4).build();
    try (Backend backend = open()) {
      assertThatThrownBy(() -> backend.contrastiveTrainer(half, otherLr, true))
          .isInstanceOf(CheckpointException.class).hasMessageContaining("learning_rate");
    }
  }

  /**
   * With dropout in the text tower and on the LoRA input (the vision config's probabilities are raised too), a resumed
   * run still equals a straight one (the run's seed keys each step's draws), and the dropout is real: the same run
   * without it ends elsewhere.
   *
   * @throws Exception when the fixture cannot be copied or trained
   */
  @Test
  public void resumingWithDropoutContinuesExactly() throws Exception {
    Path base = base("dropout-base");
    for (String file : List.of("text/config.json", "vision/config.json", "lora/adapter_config.json")) {
      Path f = base.resolve(file);
      String json = Files.readString(f).replaceAll(
          "\"(attn_pdrop|embd_pdrop|resid_pdrop|hidden_dropout_prob|attention_probs_dropout_prob|lora_dropout)\": "
              + "0\\.0\\b", "\"$1\": 0.2");
      Files.writeString(f, json);
    }
    assertThat(Files.readString(base.resolve("text/config.json"))).contains("\"attn_pdrop\": 0.2");
    assertThat(Files.readString(base.resolve("lora/adapter_config.json"))).contains("\"lora_dropout\": 0.2");
    RandomPairs data = new RandomPairs(3, 4, SIZE, 5, 1, -1);
    for (String run : List.of("straight", "plain")) {
      TrainingConfig config = contrastive(tmp.resolve("dropout-" + run), 4).optCheckpointEvery(2).build();
      Path from = run.equals("plain") ? base() : base;
      try (Backend backend = open(); ContrastiveTrainer t = backend.contrastiveTrainer(from, config, false)) {
        assertThat(t.train(data, null, TrainingListener.none()).steps()).isEqualTo(4);
      }
    }
    Path half = tmp.resolve("dropout-straight/checkpoint-000002");
    TrainingConfig resumed = contrastive(tmp.resolve("dropout-resumed"), 4).optCheckpointEvery(2).build();
    try (Backend backend = open(); ContrastiveTrainer t = backend.contrastiveTrainer(half, resumed, true)) {
      assertThat(t.train(data, null, TrainingListener.none()).steps()).isEqualTo(4);
    }
    for (String file : List.of("vision/model.safetensors", "lora/adapter_model.safetensors", "heads.safetensors")) {
      assertClose(tmp.resolve("dropout-straight/final").resolve(file), tmp.resolve("dropout-resumed/final")
          .resolve(file), 1e-6);
    }
    try (SafetensorsFile withDropout = SafetensorsFile.open(tmp.resolve("dropout-straight/final/heads.safetensors"));
        SafetensorsFile without = SafetensorsFile.open(tmp.resolve("dropout-plain/final/heads.safetensors"))) {
      assertThat(withDropout.floats("text_projection.weight")).isNotEqualTo(without.floats("text_projection.weight"));
    }
  }

  /**
   * The final checkpoint loads on the backend and encodes; the report counts the trainable parameters; the metrics
   * log has a line per step and no temporary file is left behind.
   *
   * @throws Exception when the fixture cannot be copied or trained
   */
  @Test
  public void finalCheckpointLoadsAndTheRunLeavesItsLog() throws Exception {
    Path base = base();
    RandomPairs data = new RandomPairs(2, 4, SIZE, 5, 2, -1);
    try (Backend backend = open();
        ContrastiveTrainer t = backend.contrastiveTrainer(base, contrastive(tmp.resolve("run"), 3).build(), false)) {
      TrainingReport r = t.train(data, null, TrainingListener.none());
      assertThat(r.trainableParameters()).isPositive().isLessThan(r.totalParameters());
      assertThat(r.trainablePercent()).isBetween(0.0, 100.0);
      try (CleftModel loaded = backend.load(r.checkpoint())) {
        assertThat(loaded.textEncoder().encodeTexts(List.of("no finding")).rows()).isEqualTo(1);
      }
    }
    assertThat(Files.readAllLines(tmp.resolve("run/metrics.jsonl"))).hasSize(3)
        .allSatisfy(l -> assertThat(l).contains("\"type\":\"step\"").contains("\"loss\""));
    try (Stream<Path> s = Files.list(tmp.resolve("run"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  /**
   * The final checkpoint, reloaded, encodes as the model being trained does.
   *
   * @throws Exception when the fixture cannot be copied or trained
   */
  @Test
  public void finalCheckpointEncodesLikeTheLiveModel() throws Exception {
    Path base = base();
    RandomPairs data = new RandomPairs(2, 4, SIZE, 5, 2, -1);
    List<String> texts = List.of("this is a chest x ray of a patient with edema", "no finding");
    try (Backend backend = open();
        ContrastiveTrainer t = backend.contrastiveTrainer(base, contrastive(tmp.resolve("run"), 3).build(), false)) {
      CleftModel live = liveModel(t);
      assumeTrue(live != null, backendName() + " does not expose the model a trainer is training");
      TrainingReport r = t.train(data, null, TrainingListener.none());
      try (CleftModel loaded = backend.load(r.checkpoint())) {
        Embeddings reloaded = loaded.textEncoder().encodeTexts(texts);
        Embeddings now = live.textEncoder().encodeTexts(texts);
        for (int i = 0; i < now.rows() * now.dim(); i++) {
          assertThat(reloaded.data()[i]).isCloseTo(now.data()[i], within(1e-6f));
        }
      }
    }
  }

  /**
   * A NaN batch stops the run at its step, names the last good checkpoint and writes no final one.
   *
   * @throws Exception when the fixture cannot be copied
   */
  @Test
  public void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
    Path base = base();
    RandomPairs data = new RandomPairs(10, 4, SIZE, 5, 3, 4); // micro-batch 4 (step 3) is NaN
    TrainingConfig config = contrastive(tmp.resolve("run"), 8).optCheckpointEvery(2).build();
    try (Backend backend = open(); ContrastiveTrainer t = backend.contrastiveTrainer(base, config, false)) {
      assertThatThrownBy(() -> t.train(data, null, TrainingListener.none()))
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("step 3").hasMessageContaining("NaN").hasMessageContaining("checkpoint-000002")
          .satisfies(e -> assertThat(((TrainingDivergedException) e).lastGoodCheckpoint())
              .isEqualTo(tmp.resolve("run/checkpoint-000002")));
    }
    assertThat(tmp.resolve("run/checkpoint-000002/cleft.json")).isRegularFile();
    assertThat(tmp.resolve("run/final")).doesNotExist();
  }

  /**
   * Resuming a checkpoint no trainer wrote names the missing file; training an adapter the checkpoint lacks is refused.
   *
   * @throws Exception when the fixture cannot be copied
   */
  @Test
  public void badStartsAreRefusedNamingWhatIsMissing() throws Exception {
    Path base = base();
    Path noAdapter = Fixtures.copy(Fixtures.tiny(), tmp.resolve("noadapter"));
    try (Backend backend = open()) {
      assertThatThrownBy(() -> backend.contrastiveTrainer(base, contrastive(tmp.resolve("r"), 4).build(), true))
          .isInstanceOf(CheckpointException.class).hasMessageContaining("trainer/state.json");
      assertThatThrownBy(() -> backend.contrastiveTrainer(noAdapter, contrastive(tmp.resolve("s"), 4).build(), false))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ADAPTER");
    }
  }

  /**
   * Learned prompts load as the model's prompt-tuned classifier (the saved class embeddings), and N steps, a resume
   * and N more equal 2N; the towers and heads are linked, not changed.
   *
   * @throws Exception when the fixture cannot be copied or trained
   */
  @Test
  public void learnedPromptsLoadAsAClassifierAndResumeExactly() throws Exception {
    assumePrompts();
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base"));
    RandomPairs data = new RandomPairs(2, 4, SIZE, 5, 4, -1);
    try (Backend backend = open(); PromptLearner learner = backend.promptLearner(base, prompt(tmp.resolve("a")).build(),
        false)) {
      TrainingReport r = learner.learn(CLASSES, data, null, TrainingListener.none());
      assertThat(r.trainableParameters()).isEqualTo(4L * 32);
    }
    Path fin = tmp.resolve("a/final");
    CleftCheckpoint ckpt = CleftCheckpoint.open(fin);
    assertThat(ckpt.manifest().prompt().classNames()).containsExactlyElementsOf(CLASSES);
    assertThat(ckpt.manifest().prompt().nCtx()).isEqualTo(4);
    try (Backend backend = open(); CleftModel model = backend.load(fin);
        SafetensorsFile saved = SafetensorsFile.open(fin.resolve("prompt.safetensors"));
        SafetensorsFile half = SafetensorsFile.open(tmp.resolve("a/checkpoint-000003/prompt.safetensors"))) {
      Optional<ZeroShotClassifier> zs = model.promptTuned();
      assertThat(zs).isPresent();
      assertThat(zs.get().classNames()).containsExactlyElementsOf(CLASSES);
      assertThat(zs.get().classEmbeddings().data()).containsExactly(saved.floats("class_embeds"));
      assertThat(saved.info("ctx").shape()).containsExactly(4, 32);
      assertThat(saved.floats("ctx")).isNotEqualTo(half.floats("ctx"));
    }
    try (Backend backend = open(); PromptLearner learner = backend.promptLearner(
        tmp.resolve("a/checkpoint-000003"), prompt(tmp.resolve("b")).build(), true)) {
      learner.learn(CLASSES, data, null, TrainingListener.none());
    }
    assertClose(fin.resolve("prompt.safetensors"), tmp.resolve("b/final/prompt.safetensors"), 1e-6);
    assertThat(Files.isSameFile(fin.resolve("heads.safetensors"), base.resolve("heads.safetensors"))
        || Files.mismatch(fin.resolve("heads.safetensors"), base.resolve("heads.safetensors")) == -1).isTrue();
  }

  /**
   * With a selection metric, {@code best/} holds the step whose evaluation was best, and loads as a classifier.
   *
   * @throws Exception when the fixture cannot be copied or trained
   */
  @Test
  public void theBestEvaluationIsKeptInBest() throws Exception {
    assumePrompts();
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base"));
    RandomPairs data = new RandomPairs(2, 4, SIZE, 5, 4, -1);
    RandomPairs validation = new RandomPairs(2, 6, SIZE, 5, 8, -1);
    TrainingReport r;
    TrainingConfig config = prompt(tmp.resolve("d")).optSteps(8).optEvalEvery(2).optCheckpointEvery(0)
        .optSelectBest("prompt_tuned_accuracy").build();
    try (Backend backend = open(); PromptLearner learner = backend.promptLearner(base, config, false)) {
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
    try (Backend backend = open(); CleftModel model = backend.load(tmp.resolve("d/best"))) {
      assertThat(model.promptTuned()).isPresent();
    }
  }

  /**
   * With a selection metric, a fresh prompt-tuning run evaluates the initial prompt at step 0, and that prompt,
   * initialised from the zero-shot template with one vector per template token, scores as the zero-shot classifier
   * does; it is the first candidate for {@code best/}.
   *
   * @throws Exception when the fixture cannot be copied or trained
   */
  @Test
  public void theInitialPromptCompetesAtStepZeroAndScoresAsZeroShot() throws Exception {
    assumePrompts();
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base"));
    RandomPairs data = new RandomPairs(2, 4, SIZE, 5, 4, -1);
    double zeroShotAuc;
    double zeroShotAccuracy;
    int templateTokens;
    RandomPairs validation;
    try (Backend backend = open(); CleftModel model = backend.load(base);
        ZeroShotClassifier zs = model.zeroShot(CLASSES, TrainingConfig.DEFAULT_PROMPT_INIT + "{}")) {
      validation = new RandomPairs(2, 6, model.imageSize(), 5, 8, -1); // the size the model's own encoder takes
      ZeroShotResult r = ZeroShotEvaluation.evaluate(zs, validation);
      zeroShotAuc = r.macroAuc();
      zeroShotAccuracy = r.accuracy();
      templateTokens = model.textEncoder().tokenizer().ids(TrainingConfig.DEFAULT_PROMPT_INIT.strip()).length;
    }
    TrainingConfig config = prompt(tmp.resolve("s")).optSteps(4).optEvalEvery(2).optCheckpointEvery(0)
        .optPromptContext(templateTokens).optSelectBest("prompt_tuned_macro_auc").build();
    try (Backend backend = open(); PromptLearner learner = backend.promptLearner(base, config, false)) {
      learner.learn(CLASSES, data, validation, TrainingListener.none());
    }
    List<String> lines = Files.readAllLines(tmp.resolve("s/metrics.jsonl"));
    String first = lines.get(0);
    assertThat(first).as("the first line of metrics.jsonl").contains("\"type\":\"eval\"").contains("\"step\":0,");
    double auc = Double.parseDouble(first.replaceAll(".*\"prompt_tuned_macro_auc\":([-0-9.Ee]+).*", "$1"));
    double accuracy = Double.parseDouble(first.replaceAll(".*\"prompt_tuned_accuracy\":([-0-9.Ee]+).*", "$1"));
    assertThat(auc).as("macro AUC of the initial prompt against zero-shot").isCloseTo(zeroShotAuc, within(1e-9));
    assertThat(accuracy).as("accuracy of the initial prompt against zero-shot").isEqualTo(zeroShotAccuracy);
    assertThat(lines.get(1)).as("the initial prompt is the first best").contains("\"type\":\"best\"")
        .contains("\"step\":0,");
  }

  /**
   * The context starts as the init text's token embeddings, repeated (peft's {@code PromptTuningInit.TEXT}).
   *
   * @throws Exception when the fixture cannot be copied
   */
  @Test
  public void contextStartsAsTheInitTextsTokenEmbeddingsRepeated() throws Exception {
    assumePrompts();
    Path base = Fixtures.copy(Fixtures.tiny(), tmp.resolve("base"));
    TrainingConfig config = prompt(tmp.resolve("c")).optPromptContext(12).optPromptInitText("chest x ray").build();
    try (Backend backend = open(); PromptLearner learner = backend.promptLearner(base, config, false);
        CleftModel model = backend.load(base);
        SafetensorsFile text = SafetensorsFile.open(base.resolve("text/model.safetensors"))) {
      float[] ctx = context(learner);
      assumeTrue(ctx != null, backendName() + " does not expose a learner's context");
      long[] ids = model.textEncoder().tokenizer().ids("chest x ray");
      float[] wte = text.floats("wte.weight");
      for (int i = 0; i < 12; i++) {
        long id = ids[i % ids.length];
        for (int j = 0; j < 32; j++) {
          assertThat(ctx[i * 32 + j]).isEqualTo(wte[(int) id * 32 + j]);
        }
      }
    }
  }

  private static void assertClose(Path a, Path b, double tol) throws Exception {
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
}
