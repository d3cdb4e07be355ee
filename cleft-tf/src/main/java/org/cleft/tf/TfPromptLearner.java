package org.cleft.tf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cleft.api.BatchSource;
import org.cleft.api.CaptionStyle;
import org.cleft.api.EmbeddingClassifier;
import org.cleft.api.Embeddings;
import org.cleft.api.PromptLearner;
import org.cleft.api.TokenBatch;
import org.cleft.api.TrainingBatch;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.api.eval.ZeroShotEvaluation;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.train.HostTensor;
import org.cleft.api.train.HostTrainingEngine;
import org.cleft.api.train.PromptContext;
import org.cleft.api.train.StageCheckpoints;
import org.cleft.api.train.TrainerState;
import org.cleft.api.train.TrainingLoop;
import org.cleft.api.train.TrainingStage;
import org.cleft.api.train.TrainingTask;
import org.cleft.api.train.UpdateRule;
import org.cleft.model.CleftTowers;
import org.cleft.model.heads.ClipProjections;
import org.cleft.model.peft.AdapterHook;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * CLEFT stage 2 on TensorFlow: learned context vectors in front of each class name's tokens (mask 1), both towers
 * frozen, loss = BCE-with-logits of {@code exp(logit_scale) * image_embeds @ class_embeds^T} against multi-hot
 * labels; the gradient with respect to the context from the graph, the context and its optimiser on the host.
 * Checkpoints are the base checkpoint's towers (linked) plus {@code prompt.safetensors} ({@link StageCheckpoints}).
 */
public final class TfPromptLearner implements PromptLearner {
  private final CleftCheckpoint base;
  private final TfParts parts;
  private final TrainingConfig config;
  private final HostTensor ctx;
  private final UpdateRule<HostTensor> optimizer;
  private final HostTrainingEngine engine = new HostTrainingEngine();
  private final List<TfGraph> owned = new ArrayList<>();
  private final String initText;
  private Path resumedFrom;
  private TrainerState.Best resumedBest;
  private boolean closed;

  private TfPromptLearner(Path checkpoint, TrainingConfig config, boolean resume) throws CheckpointException {
    this.base = CleftCheckpoint.open(checkpoint);
    this.config = config;
    this.parts = TfParts.open(base);
    TextConfig tc = base.textConfig();
    int width = tc.hiddenSize();
    if (config.promptContext() > tc.maxPositions() - 1) {
      throw new IllegalArgumentException("promptContext " + config.promptContext() + " leaves no room for class "
          + "tokens in the text tower's " + tc.maxPositions() + " positions");
    }
    float[] init;
    if (resume) {
      init = PromptContext.saved(base, config.promptContext(), width);
    } else {
      TFloat32 wte = parts.text.get(parts.tfam.tokenEmbeddingsName(), new long[] {tc.vocabSize(), width}, null);
      init = PromptContext.initial(config, parts.tokenizer, width, ids -> rows(wte, ids, width));
    }
    ctx = new HostTensor("ctx", new long[] {config.promptContext(), width}, init);
    optimizer = UpdateRule.of(config, engine);
    initText = resume && base.manifest().prompt() != null ? base.manifest().prompt().initText()
        : config.promptInitText();
    if (resume) {
      TrainerState.Saved saved = TrainerState.read(checkpoint, TrainingStage.PROMPT.id(), config);
      optimizer.restore(saved.step(), saved.buffers(), Map.of("ctx", ctx));
      resumedFrom = checkpoint;
      resumedBest = saved.best();
    }
  }

  private static float[] rows(TFloat32 table, long[] ids, int width) {
    float[] all = new float[(int) table.size()];
    table.copyTo(DataBuffers.of(all, false, false));
    float[] out = new float[ids.length * width];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(all, (int) ids[i] * width, out, i * width, width);
    }
    return out;
  }

  /**
   * Loads the checkpoint and initialises the context ({@link PromptContext}), or with {@code resume} reads it and the
   * optimiser state from a checkpoint this learner wrote.
   *
   * @param checkpoint the checkpoint whose towers are used, or with {@code resume} one this learner wrote
   * @param config the run's configuration
   * @param resume continue from the checkpoint's step, context and optimiser state
   * @return the learner, which the caller closes
   * @throws CheckpointException when the checkpoint or its saved prompt is missing or malformed
   */
  public static TfPromptLearner create(Path checkpoint, TrainingConfig config, boolean resume)
      throws CheckpointException {
    return new TfPromptLearner(checkpoint, config, resume);
  }

  /** {@return the learned context vectors now, {@code [promptContext, width]}} */
  public float[] context() {
    return ctx.values().clone();
  }

  @Override
  public TrainingReport learn(List<String> classNames, BatchSource data, BatchSource validation,
      TrainingListener listener) {
    if (closed) {
      throw new IllegalStateException("tf: this prompt learner is closed");
    }
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("prompt tuning needs at least one class name");
    }
    Task task;
    try {
      task = new Task(List.copyOf(classNames));
    } catch (CheckpointException e) {
      throw new IllegalStateException("tf: cannot build the prompt-tuning graph: " + e.getMessage(), e);
    }
    long total = parts.values(false) + ctx.values().length;
    TrainingLoop<HostTensor> loop = new TrainingLoop<>(config, engine, optimizer, ctx.values().length, total);
    loop.resumedFrom(resumedFrom, resumedBest);
    return loop.run(task, data, validation, listener == null ? TrainingListener.none() : listener);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    owned.forEach(TfGraph::close);
    parts.close();
  }

  private final class Task implements TrainingTask<HostTensor> {
    private final List<String> classNames;
    private final TfGraph g = new TfGraph();
    private final Operand<TFloat32> ctxInput;
    private final Operand<TFloat32> labels;
    private final Operand<?> classEmbeds;
    private final Operand<TFloat32> imageEmbeds;
    private final Operand<TFloat32> loss;
    private final Output<?> grad;
    private final TfEvaluation encoders;

    Task(List<String> classNames) throws CheckpointException {
      this.classNames = classNames;
      owned.add(g);
      VisionConfig vc = base.visionConfig();
      TextConfig tc = base.textConfig();
      // the frozen image tower runs in its own graphs (one per input size); its embeddings enter this one
      encoders = new TfEvaluation(parts, owned);
      Ops tf = g.tf();
      TfOps ops = TfOps.inference(tf); // both towers frozen, in inference mode
      CleftTowers<Operand<?>> towers = parts.towers(g);
      AdapterHook<Operand<?>> hook = parts.unmergedAdapter(g);
      int n = config.promptContext();
      int width = tc.hiddenSize();
      // tokenised as they follow the context in a sentence (the caption style's prompt prefix), names normalised as
      // the model's captions were
      CaptionStyle style = base.captionStyle();
      TokenBatch tokens = parts.tokenizer.encodeContinuations(classNames.stream().map(style::promptName).toList(),
          tc.maxPositions() - n);
      Shape ts = Shape.of(tokens.shape());
      Operand<TInt64> ids = tf.constant(ts, DataBuffers.of(tokens.ids(), true, false));
      Operand<TInt64> mask = tf.constant(ts, DataBuffers.of(tokens.mask(), true, false));
      ctxInput = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, width)));
      Operand<?> prefix = ops.expandBatch(ops.reshape(ctxInput, 1, n, width), ids);
      Operand<?> tokenEmbeds = towers.text().tower().embed(ops, ids);
      // the context sits after the tokenizer's leading special tokens (LLaMA's BOS), as the captions were read
      int front = parts.tokenizer.specialPrefix();
      Operand<?> embeds = ops.concat(1, front == 0 ? List.of(prefix, tokenEmbeds) : List.of(
          ops.slice(tokenEmbeds, 1, 0, front), prefix, ops.slice(tokenEmbeds, 1, front, tokens.length())));
      long[] ones = new long[tokens.batch() * n];
      Arrays.fill(ones, 1L);
      Operand<TInt64> fullMask = tf.concat(List.of(tf.constant(Shape.of(tokens.batch(), n),
          DataBuffers.of(ones, true, false)), mask), tf.constant(1));
      classEmbeds = towers.text().encodeEmbedded(ops, embeds, fullMask, hook).embeds();
      int dim = (int) parts.heads.shape("image_projection.weight")[0];
      imageEmbeds = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dim)));
      Operand<TFloat32> x = TfOps.f(towers.logits(ops, imageEmbeds, classEmbeds));
      labels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classNames.size())));
      // binary_cross_entropy_with_logits, mean: max(x, 0) - x y + log(1 + exp(-|x|))
      Operand<TFloat32> bce = tf.math.add(tf.math.sub(tf.math.maximum(x, tf.constant(0f)), tf.math.mul(x, labels)),
          tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(x)))));
      loss = tf.math.mean(bce, tf.constant(new int[] {0, 1}));
      grad = g.graph().addGradients(loss.asOutput(), new Output<?>[] {ctxInput.asOutput()})[0];
      g.start();
    }

    @Override
    public Map<String, HostTensor> parameters() {
      return Map.of("ctx", ctx);
    }

    private TFloat32 ctxTensor() {
      return TFloat32.tensorOf(Shape.of(ctx.shape()), DataBuffers.of(ctx.values(), true, false));
    }

    /** Class embeddings from the current context: [classes, embedding]. */
    Embeddings classEmbeddings() {
      TFloat32 c = ctxTensor();
      try (TfGraph.Call call = g.call(c)) {
        Result r = call.run(Map.<Operand<?>, org.tensorflow.Tensor>of(ctxInput, c), List.of(classEmbeds));
        TFloat32 e = (TFloat32) r.get(0);
        return TfGraph.embeddings(e, classNames.size(), (int) e.shape().get(1));
      }
    }

    @Override
    public HostTensor loss(TrainingBatch batch) {
      if (batch.labels() == null) {
        throw new IllegalArgumentException("prompt tuning needs multi-hot labels: a batch has none");
      }
      if (batch.labels()[0].length != classNames.size()) {
        throw new IllegalArgumentException("batches have " + batch.labels()[0].length + " label columns but "
            + classNames.size() + " class names were given");
      }
      int size = batch.images().height();
      if (batch.images().width() != size) {
        throw new IllegalArgumentException("tf: prompt tuning takes square images, got " + size + "x"
            + batch.images().width());
      }
      Embeddings img = encoders.imageEncoder(size).encode(batch.images());
      float[] flat = new float[batch.size() * classNames.size()];
      for (int i = 0; i < batch.size(); i++) {
        System.arraycopy(batch.labels()[i], 0, flat, i * classNames.size(), classNames.size());
      }
      TFloat32 c = ctxTensor();
      TFloat32 px = TFloat32.tensorOf(Shape.of(img.rows(), img.dim()), DataBuffers.of(img.data(), true, false));
      TFloat32 y = TFloat32.tensorOf(Shape.of(batch.size(), classNames.size()), DataBuffers.of(flat, true, false));
      double value;
      float[] g1;
      try (TfGraph.Call call = g.call(c, px, y)) {
        Result r = call.run(Map.<Operand<?>, org.tensorflow.Tensor>of(ctxInput, c, imageEmbeds, px, labels, y),
            List.of(loss, grad));
        value = ((TFloat32) r.get(0)).getFloat();
        TFloat32 gt = (TFloat32) r.get(1);
        g1 = new float[(int) gt.size()];
        gt.copyTo(DataBuffers.of(g1, false, false));
      }
      float[] gradient = g1;
      return HostTensor.loss(value, f -> ctx.accumulate(f, gradient));
    }

    @Override
    public boolean startIsCandidate() {
      return true; // the initial context is the hand-written prompt: tuning must beat it on validation to replace it
    }

    @Override
    public void setTraining(boolean training) {
      // both towers are frozen and run in inference mode; the context vectors have no dropout
    }

    @Override
    public Map<String, Double> evaluate(BatchSource validation) {
      try (ZeroShotClassifier zs = new EmbeddingClassifier(TfBackendProvider.NAME, classNames, classEmbeddings(),
          logitScale(), encoders.anySize())) {
        return ZeroShotEvaluation.evaluate(zs, validation).toMap("prompt_tuned_");
      }
    }

    private float logitScale() {
      try {
        TFloat32 s = parts.heads.get(ClipProjections.LOGIT_SCALE, parts.heads.shape(ClipProjections.LOGIT_SCALE), null);
        float[] v = new float[(int) s.size()];
        s.copyTo(DataBuffers.of(v, false, false));
        return v[0];
      } catch (CheckpointException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    @Override
    public void writeCheckpoint(Path dir, TrainerState state) throws IOException {
      Embeddings classes = classEmbeddings();
      StageCheckpoints.prompt(dir, base, config, state, TfBackendProvider.NAME, TfBackend.engineVersions(),
          Tensor.ofFloats(ctx.shape(), ctx.values().clone()),
          Tensor.ofFloats(new long[] {classes.rows(), classes.dim()}, classes.data()), classNames, initText);
    }
  }
}
