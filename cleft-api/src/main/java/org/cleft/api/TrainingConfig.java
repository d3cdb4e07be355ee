package org.cleft.api;

import java.nio.file.Path;
import java.util.List;

/**
 * How to run a training stage: optimiser, schedule, what is trainable, evaluation and checkpoints.
 * Defaults are the paper's (AdamW lr 4e-5, weight decay 0.1, cosine schedule with linear warm-up
 * from {@code minLearningRate}); prompt tuning's defaults come from {@link #promptDefaults()}
 * (SGD lr 1e-4, 30 context vectors initialised from {@value #DEFAULT_PROMPT_INIT}). Build with
 * {@link #builder()} or change one with {@link #toBuilder()}; values are validated at build time.
 *
 * @param steps optimiser steps in the whole run (a resumed run counts those already taken)
 * @param gradientAccumulation batches whose gradients are summed (each loss divided by this) per step
 * @param optimizer the optimiser
 * @param learningRate the peak learning rate
 * @param minLearningRate where warm-up starts and where the cosine ends
 * @param warmupSteps linear warm-up steps (0: start at the peak)
 * @param weightDecay decoupled (AdamW) or L2 (SGD) weight decay; never on parameters with one dimension or fewer
 * @param momentum SGD momentum
 * @param clipGradNorm the largest global gradient L2 norm, 0 to disable clipping
 * @param seed seeds dropout and random initialisation; with a seeded {@link BatchSource} the run is reproducible
 * @param outputDir where checkpoints ({@code checkpoint-NNNNNN/}, {@code final/}) and {@code metrics.jsonl} go
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param evalEvery steps between evaluations on the validation source (0: only at the end)
 * @param logEvery steps between lines in {@code metrics.jsonl}
 * @param vision which part of the image tower is trained
 * @param visionLastBlocks with {@link VisionTraining#LAST_BLOCKS}, how many of the last blocks (and the final norm-free head) train
 * @param text which part of the text tower is trained
 * @param classNames classes of the validation labels (zero-shot evaluation); empty: no class evaluation
 * @param template caption template for zero-shot classes, {@code {}} is replaced by the class name
 * @param captionCasing how the training captions are cased (recorded in the checkpoint, see {@link CaptionStyle})
 * @param promptContext prompt tuning: number of learned context vectors
 * @param promptInitText prompt tuning: text whose token embeddings initialise the context (null: random N(0, 0.02))
 * @param selectMetric an evaluation metric (higher is better, e.g. {@code prompt_tuned_accuracy}); when set, the
 *     checkpoint of the best evaluation so far is kept in {@code best/}; null: none
 */
public record TrainingConfig(long steps, int gradientAccumulation, Optimizer optimizer, double learningRate,
    double minLearningRate, long warmupSteps, double weightDecay, double momentum, double clipGradNorm, long seed,
    Path outputDir, long checkpointEvery, long evalEvery, long logEvery, VisionTraining vision, int visionLastBlocks,
    TextTraining text, List<String> classNames, String template, CaptionStyle.Casing captionCasing, int promptContext,
    String promptInitText, String selectMetric) {

  /** The paper's prompt initialisation text. */
  public static final String DEFAULT_PROMPT_INIT = "this is a chest x ray of a patient with ";

  /** The optimisers. */
  public enum Optimizer {
    /** {@code torch.optim.AdamW} (betas 0.9, 0.999, eps 1e-8). */
    ADAMW,
    /** {@code torch.optim.SGD} with momentum (no dampening, no Nesterov). */
    SGD
  }

  /** Which part of the image tower trains. */
  public enum VisionTraining {
    /** Every parameter (the paper). */
    FULL,
    /** None. */
    FROZEN,
    /** The last {@code visionLastBlocks} transformer blocks. */
    LAST_BLOCKS
  }

  /** Which part of the text tower trains. */
  public enum TextTraining {
    /** The peft adapter only (the paper); the base LM stays frozen. Needs a checkpoint with an adapter. */
    ADAPTER,
    /** Every parameter of the LM (and the adapter, if any). */
    FULL,
    /** None. */
    FROZEN
  }

  /**
   * Validates every field, naming the field and the allowed range.
   *
   * @param steps optimiser steps in the whole run (a resumed run counts those already taken)
   * @param gradientAccumulation batches whose gradients are summed (each loss divided by this) per step
   * @param optimizer the optimiser
   * @param learningRate the peak learning rate
   * @param minLearningRate where warm-up starts and where the cosine ends
   * @param warmupSteps linear warm-up steps (0: start at the peak)
   * @param weightDecay decoupled (AdamW) or L2 (SGD) weight decay; never on parameters with one dimension or
   *     fewer
   * @param momentum SGD momentum
   * @param clipGradNorm the largest global gradient L2 norm, 0 to disable clipping
   * @param seed seeds dropout and random initialisation; with a seeded {@link BatchSource} the run is
   *     reproducible
   * @param outputDir where checkpoints ({@code checkpoint-NNNNNN/}, {@code final/}) and {@code metrics.jsonl}
   *     go
   * @param checkpointEvery steps between checkpoints (0: only at the end)
   * @param evalEvery steps between evaluations on the validation source (0: only at the end)
   * @param logEvery steps between lines in {@code metrics.jsonl}
   * @param vision which part of the image tower is trained
   * @param visionLastBlocks with {@link VisionTraining#LAST_BLOCKS}, how many of the last blocks (and the
   *     final norm-free head) train
   * @param text which part of the text tower is trained
   * @param classNames classes of the validation labels (zero-shot evaluation); empty: no class evaluation
   * @param template caption template for zero-shot classes, {@code {}} is replaced by the class name
   * @param captionCasing how the training captions are cased
   * @param promptContext prompt tuning: number of learned context vectors
   * @param promptInitText prompt tuning: text whose token embeddings initialise the context (null: random
   *     N(0, 0.02))
   * @param selectMetric the evaluation metric whose best value selects {@code best/}, or null
   */
  public TrainingConfig {
    positive("steps", steps);
    positive("gradientAccumulation", gradientAccumulation);
    require(optimizer != null, "optimizer must not be null");
    require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0, got " + learningRate);
    require(minLearningRate >= 0 && minLearningRate <= learningRate,
        "minLearningRate must be in [0, learningRate=" + learningRate + "], got " + minLearningRate);
    require(warmupSteps >= 0 && warmupSteps < steps, "warmupSteps must be in [0, steps=" + steps + "), got " + warmupSteps);
    require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay must be >= 0, got " + weightDecay);
    require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
    require(clipGradNorm >= 0 && Double.isFinite(clipGradNorm), "clipGradNorm must be >= 0 (0 = off), got " + clipGradNorm);
    require(outputDir != null, "outputDir must not be null");
    require(checkpointEvery >= 0, "checkpointEvery must be >= 0 (0 = only at the end), got " + checkpointEvery);
    require(evalEvery >= 0, "evalEvery must be >= 0 (0 = only at the end), got " + evalEvery);
    positive("logEvery", logEvery);
    require(vision != null, "vision must not be null");
    require(vision != VisionTraining.LAST_BLOCKS || visionLastBlocks > 0,
        "visionLastBlocks must be > 0 with vision LAST_BLOCKS, got " + visionLastBlocks);
    require(text != null, "text must not be null");
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
    require(template != null && template.contains("{}"), "template must contain {} for the class name, got " + template);
    require(captionCasing != null, "captionCasing must not be null");
    positive("promptContext", promptContext);
    require(selectMetric == null || !selectMetric.isBlank(), "selectMetric must be null or a metric name");
  }

  private static void positive(String field, long value) {
    require(value > 0, field + " must be > 0, got " + value);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("TrainingConfig." + message);
    }
  }

  /** {@return a builder with the paper's contrastive pre-training defaults (outputDir must be set)} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a builder with the paper's prompt-tuning defaults: SGD (momentum 0.9) lr 1e-4, no warm-up, no
   * weight decay, 30 context vectors initialised from {@value #DEFAULT_PROMPT_INIT}}
   */
  public static Builder promptDefaults() {
    Builder b = new Builder();
    b.optimizer = Optimizer.SGD;
    b.learningRate = 1e-4;
    b.minLearningRate = 1e-4;
    b.warmupSteps = 0;
    b.weightDecay = 0;
    b.steps = 8000;
    return b;
  }

  /**
   * {@return how the captions of this run are built, as its checkpoints record them: the template, the casing
   * and the evaluation classes}
   */
  public CaptionStyle captionStyle() {
    return CaptionStyle.defaults().withTemplate(template).withCasing(captionCasing).withClasses(classNames);
  }

  /** {@return a builder holding this configuration's values} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.steps = steps;
    b.gradientAccumulation = gradientAccumulation;
    b.optimizer = optimizer;
    b.learningRate = learningRate;
    b.minLearningRate = minLearningRate;
    b.warmupSteps = warmupSteps;
    b.weightDecay = weightDecay;
    b.momentum = momentum;
    b.clipGradNorm = clipGradNorm;
    b.seed = seed;
    b.outputDir = outputDir;
    b.checkpointEvery = checkpointEvery;
    b.evalEvery = evalEvery;
    b.logEvery = logEvery;
    b.vision = vision;
    b.visionLastBlocks = visionLastBlocks;
    b.text = text;
    b.classNames = classNames;
    b.template = template;
    b.captionCasing = captionCasing;
    b.promptContext = promptContext;
    b.promptInitText = promptInitText;
    b.selectMetric = selectMetric;
    return b;
  }

  /** Builds a {@link TrainingConfig}; {@code set*} is required, {@code opt*} optional. */
  public static final class Builder {
    private long steps = 40_000;
    private int gradientAccumulation = 1;
    private Optimizer optimizer = Optimizer.ADAMW;
    private double learningRate = 4e-5;
    private double minLearningRate = 0;
    private long warmupSteps = 4_000;
    private double weightDecay = 0.1;
    private double momentum = 0.9;
    private double clipGradNorm;
    private long seed;
    private Path outputDir;
    private long checkpointEvery = 1_000;
    private long evalEvery = 1_000;
    private long logEvery = 1;
    private VisionTraining vision = VisionTraining.FULL;
    private int visionLastBlocks;
    private TextTraining text = TextTraining.ADAPTER;
    private List<String> classNames = List.of();
    private String template = DEFAULT_PROMPT_INIT + "{}";
    private CaptionStyle.Casing captionCasing = CaptionStyle.Casing.LOWER;
    private int promptContext = 30;
    private String promptInitText = DEFAULT_PROMPT_INIT;
    private String selectMetric;

    private Builder() {}

    /**
     * Where checkpoints and {@code metrics.jsonl} go (required).
     *
     * @param dir where checkpoints and {@code metrics.jsonl} go (required)
     * @return this builder
     */
    public Builder setOutputDir(Path dir) {
      outputDir = dir;
      return this;
    }

    /**
     * Optimiser steps of the whole run (default 40,000).
     *
     * @param value optimiser steps of the whole run (default 40,000)
     * @return this builder
     */
    public Builder optSteps(long value) {
      steps = value;
      return this;
    }

    /**
     * Batches per optimiser step (default 1).
     *
     * @param value batches per optimiser step (default 1)
     * @return this builder
     */
    public Builder optGradientAccumulation(int value) {
      gradientAccumulation = value;
      return this;
    }

    /**
     * The optimiser (default AdamW).
     *
     * @param value the optimiser (default AdamW)
     * @return this builder
     */
    public Builder optOptimizer(Optimizer value) {
      optimizer = value;
      return this;
    }

    /**
     * Peak learning rate (default 4e-5).
     *
     * @param value peak learning rate (default 4e-5)
     * @return this builder
     */
    public Builder optLearningRate(double value) {
      learningRate = value;
      return this;
    }

    /**
     * Learning rate at the start of warm-up and the end of the cosine (default 0).
     *
     * @param value learning rate at the start of warm-up and the end of the cosine (default 0)
     * @return this builder
     */
    public Builder optMinLearningRate(double value) {
      minLearningRate = value;
      return this;
    }

    /**
     * Warm-up steps (default 4,000).
     *
     * @param value warm-up steps (default 4,000)
     * @return this builder
     */
    public Builder optWarmupSteps(long value) {
      warmupSteps = value;
      return this;
    }

    /**
     * Weight decay (default 0.1).
     *
     * @param value weight decay (default 0.1)
     * @return this builder
     */
    public Builder optWeightDecay(double value) {
      weightDecay = value;
      return this;
    }

    /**
     * SGD momentum (default 0.9).
     *
     * @param value SGD momentum (default 0.9)
     * @return this builder
     */
    public Builder optMomentum(double value) {
      momentum = value;
      return this;
    }

    /**
     * Global gradient-norm clipping, 0 = off (default).
     *
     * @param value global gradient-norm clipping, 0 = off (default)
     * @return this builder
     */
    public Builder optClipGradNorm(double value) {
      clipGradNorm = value;
      return this;
    }

    /**
     * Seed for dropout and random initialisation (default 0).
     *
     * @param value seed for dropout and random initialisation (default 0)
     * @return this builder
     */
    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    /**
     * Steps between checkpoints, 0 = only at the end (default 1,000).
     *
     * @param value steps between checkpoints, 0 = only at the end (default 1,000)
     * @return this builder
     */
    public Builder optCheckpointEvery(long value) {
      checkpointEvery = value;
      return this;
    }

    /**
     * Steps between evaluations, 0 = only at the end (default 1,000).
     *
     * @param value steps between evaluations, 0 = only at the end (default 1,000)
     * @return this builder
     */
    public Builder optEvalEvery(long value) {
      evalEvery = value;
      return this;
    }

    /**
     * Steps between metric lines (default 1).
     *
     * @param value steps between metric lines (default 1)
     * @return this builder
     */
    public Builder optLogEvery(long value) {
      logEvery = value;
      return this;
    }

    /**
     * Which part of the image tower trains (default FULL).
     *
     * @param value which part of the image tower trains (default FULL)
     * @return this builder
     */
    public Builder optVision(VisionTraining value) {
      vision = value;
      return this;
    }

    /**
     * Train only the last {@code blocks} transformer blocks of the image tower.
     *
     * @param blocks train only the last {@code blocks} transformer blocks of the image tower
     * @return this builder
     */
    public Builder optVisionLastBlocks(int blocks) {
      vision = VisionTraining.LAST_BLOCKS;
      visionLastBlocks = blocks;
      return this;
    }

    /**
     * Which part of the text tower trains (default ADAPTER).
     *
     * @param value which part of the text tower trains (default ADAPTER)
     * @return this builder
     */
    public Builder optText(TextTraining value) {
      text = value;
      return this;
    }

    /**
     * Classes of the validation labels, for zero-shot evaluation (default none).
     *
     * @param value classes of the validation labels, for zero-shot evaluation (default none)
     * @return this builder
     */
    public Builder optClassNames(List<String> value) {
      classNames = value;
      return this;
    }

    /**
     * Zero-shot caption template with {@code {}} (default the paper's chest X-ray sentence).
     *
     * @param value zero-shot caption template with {@code {}} (default the paper's chest X-ray sentence)
     * @return this builder
     */
    public Builder optTemplate(String value) {
      template = value;
      return this;
    }

    /**
     * How the training captions are cased (default lower case, as the reference builds them from labels); the
     * checkpoint records it so that zero-shot class names are normalised the same way.
     *
     * @param value the casing of the training captions
     * @return this builder
     */
    public Builder optCaptionCasing(CaptionStyle.Casing value) {
      captionCasing = value;
      return this;
    }

    /**
     * Number of learned context vectors for prompt tuning (default 30).
     *
     * @param value number of learned context vectors for prompt tuning (default 30)
     * @return this builder
     */
    public Builder optPromptContext(int value) {
      promptContext = value;
      return this;
    }

    /**
     * Initialisation text for the context vectors; null for random (default the paper's sentence).
     *
     * @param value initialisation text for the context vectors; null for random (default the paper's
     *     sentence)
     * @return this builder
     */
    public Builder optPromptInitText(String value) {
      promptInitText = value;
      return this;
    }

    /**
     * Keeps the checkpoint of the best evaluation in {@code best/} (default: none).
     *
     * @param metric the evaluation metric to maximise, e.g. {@code zero_shot_accuracy} or
     *     {@code prompt_tuned_accuracy}
     * @return this builder
     */
    public Builder optSelectBest(String metric) {
      selectMetric = metric;
      return this;
    }

    /** {@return validates and builds} */
    public TrainingConfig build() {
      return new TrainingConfig(steps, gradientAccumulation, optimizer, learningRate, minLearningRate, warmupSteps,
          weightDecay, momentum, clipGradNorm, seed, outputDir, checkpointEvery, evalEvery, logEvery, vision,
          visionLastBlocks, text, classNames, template, captionCasing, promptContext, promptInitText, selectMetric);
    }
  }
}
