package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
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
import org.cleft.api.eval.ZeroShotEvaluation;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.train.PromptContext;
import org.cleft.api.train.StageCheckpoints;
import org.cleft.api.train.TrainerState;
import org.cleft.api.train.TrainingLoop;
import org.cleft.api.train.TrainingStage;
import org.cleft.api.train.TrainingTask;
import org.cleft.api.train.UpdateRule;
import org.cleft.djl.CleftNetwork;
import org.cleft.djl.DjlBackendProvider;
import org.cleft.djl.DjlCleftModel;
import org.cleft.djl.nn.NdOps;

/**
 * CLEFT stage 2 on DJL: learned context vectors prepended (mask 1) to each class name's tokens, both
 * towers frozen, loss = BCE-with-logits of {@code exp(logit_scale) * image_embeds @ class_embeds^T}
 * against multi-hot labels. Checkpoints are the base checkpoint's towers (hard-linked) plus
 * {@code prompt.safetensors} holding {@code ctx} and the resulting {@code class_embeds}.
 */
public final class DjlPromptLearner implements PromptLearner {
  private final DjlCleftModel model;
  private final TrainingConfig config;
  private final NDArray ctx;
  private final UpdateRule<NDArray> optimizer;
  private final String initText;
  private boolean closed;
  private Path resumedFrom;
  private TrainerState.Best resumedBest;

  private DjlPromptLearner(DjlCleftModel model, TrainingConfig config, NDArray ctx, UpdateRule<NDArray> optimizer,
      String initText) {
    this.model = model;
    this.config = config;
    this.ctx = ctx;
    this.optimizer = optimizer;
    this.initText = initText;
  }

  /**
   * Loads the checkpoint and initialises the context: from the token embeddings of
   * {@link TrainingConfig#promptInitText()} repeated then truncated to {@link TrainingConfig#promptContext()}
   * (peft's {@code PromptTuningInit.TEXT}), or N(0, 0.02) when it is null; with {@code resume}, from
   * the checkpoint's {@code prompt.safetensors} and trainer state.
   *
   * @param checkpoint the checkpoint whose towers are used, or with {@code resume} one this learner wrote
   * @param config the run's configuration
   * @param resume continue from the checkpoint's step, context and optimiser state
   * @param options the backend's device options
   * @return the learner, which the caller closes
   * @throws CheckpointException when the checkpoint or its saved prompt is missing or malformed
   */
  public static DjlPromptLearner create(Path checkpoint, TrainingConfig config, boolean resume, BackendOptions options)
      throws CheckpointException {
    DjlCleftModel model = DjlCleftModel.load(checkpoint, options);
    try {
      int width = model.network().text().width();
      int maxCtx = model.network().text().positions() - 1;
      if (config.promptContext() > maxCtx) {
        throw new IllegalArgumentException("promptContext " + config.promptContext() + " leaves no room for class "
            + "tokens in the text tower's " + (maxCtx + 1) + " positions");
      }
      float[] init = resume ? PromptContext.saved(model.source(), config.promptContext(), width)
          : initialContext(model, config, width);
      NDArray ctx = model.manager().create(init, new Shape(config.promptContext(), width));
      NDScope.unregister(ctx);
      ctx.setName("ctx");
      UpdateRule<NDArray> optimizer = UpdateRule.of(config, DjlTrainingEngine.INSTANCE);
      TrainerState.Saved saved = null;
      if (resume) {
        saved = TrainerState.read(checkpoint, TrainingStage.PROMPT.id(), config);
        optimizer.restore(saved.step(), saved.buffers(), Map.of("ctx", ctx));
      }
      String initText = resume && model.source().manifest().prompt() != null
          ? model.source().manifest().prompt().initText() : config.promptInitText();
      DjlPromptLearner learner = new DjlPromptLearner(model, config, ctx, optimizer, initText);
      if (saved != null) {
        learner.resumedFrom = checkpoint;
        learner.resumedBest = saved.best();
      }
      return learner;
    } catch (CheckpointException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static float[] initialContext(DjlCleftModel model, TrainingConfig config, int width) {
    return PromptContext.initial(config, model.textEncoder().tokenizer(), width, ids -> {
      try (NDScope scope = new NDScope()) {
        return model.network().embed(model.manager().create(ids)).toFloatArray();
      }
    });
  }

  @Override
  public TrainingReport learn(List<String> classNames, BatchSource data, BatchSource validation,
      TrainingListener listener) {
    if (closed) {
      throw new IllegalStateException("djl: this prompt learner is closed");
    }
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("prompt tuning needs at least one class name");
    }
    Task task = new Task(List.copyOf(classNames));
    long total = Trainables.count(model.network().textParameters())
        + Trainables.count(model.network().visionParameters()) + Trainables.count(model.network().headParameters())
        + ctx.size();
    TrainingLoop<NDArray> loop = new TrainingLoop<>(config, DjlTrainingEngine.INSTANCE, optimizer, ctx.size(), total);
    loop.resumedFrom(resumedFrom, resumedBest);
    return loop.run(task, data, validation, listener == null ? TrainingListener.none() : listener);
  }

  /** {@return the model whose towers the prompts are learned on (frozen)} */
  public DjlCleftModel model() {
    return model;
  }

  /** {@return the learned context vectors now, {@code [promptContext, width]}} */
  public float[] context() {
    return ctx.toFloatArray();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.close();
    }
  }

  private final class Task implements TrainingTask<NDArray> {
    private final List<String> classNames;
    private final TokenBatch classTokens;

    Task(List<String> classNames) {
      this.classNames = classNames;
      int room = model.network().text().positions() - config.promptContext();
      // tokenised as they follow the context in a sentence (" name", the caption style's prompt prefix), as
      // CoOp-style prompt learners tokenise the whole prompt "X X ... X name": with a byte-level BPE the name's
      // tokens then match those of a caption; the name is normalised as the model's captions were
      CaptionStyle style = model.source().captionStyle();
      this.classTokens = model.textEncoder().tokenizer().encodeContinuations(
          classNames.stream().map(style::promptName).toList(), room);
    }

    @Override
    public Map<String, NDArray> parameters() {
      return Map.of("ctx", ctx);
    }

    /** Class embeddings from the current context: [classes, embedding]. */
    NDArray classEmbeds() {
      NDManager m = model.manager();
      CleftNetwork net = model.network();
      long classes = classTokens.batch();
      long width = ctx.getShape().get(1);
      int n = config.promptContext();
      NDArray ids = m.create(classTokens.ids(), new Shape(classes, classTokens.length()));
      NDArray mask = m.create(classTokens.mask(), new Shape(classes, classTokens.length()));
      NDArray prefix = ctx.expandDims(0).broadcast(new Shape(classes, n, width));
      NDArray tokens = net.embed(ids);
      // the context sits after the tokenizer's leading special tokens (LLaMA's BOS), as the captions were read
      int front = model.textEncoder().tokenizer().specialPrefix();
      NDArray embeds = NDArrays.concat(front == 0 ? new NDList(prefix, tokens)
          : new NDList(tokens.get(":, :" + front), prefix, tokens.get(":, " + front + ":")), 1);
      NDArray fullMask = NDArrays.concat(new NDList(m.ones(new Shape(classes, n), mask.getDataType()), mask), 1);
      return net.encodeEmbedded(embeds, fullMask, model.adapter()).embeds();
    }

    @Override
    public NDArray loss(TrainingBatch batch) {
      if (batch.labels() == null) {
        throw new IllegalArgumentException("prompt tuning needs multi-hot labels: a batch has none");
      }
      if (batch.labels()[0].length != classNames.size()) {
        throw new IllegalArgumentException("batches have " + batch.labels()[0].length + " label columns but "
            + classNames.size() + " class names were given");
      }
      NDManager m = model.manager();
      CleftNetwork net = model.network();
      NDArray pixels = m.create(batch.images().pixels(), new Shape(batch.images().shape()));
      NDArray img = net.encodeImages(pixels).embeds().stopGradient();
      float[] flat = new float[batch.size() * classNames.size()];
      for (int i = 0; i < batch.size(); i++) {
        System.arraycopy(batch.labels()[i], 0, flat, i * classNames.size(), classNames.size());
      }
      NDArray labels = m.create(flat, new Shape(batch.size(), classNames.size()));
      NDArray scores = img.matMul(classEmbeds().transpose()).mul(net.logitScaleArray().exp().stopGradient());
      return bceWithLogits(scores, labels);
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
      try (ZeroShotClassifier zs = classifier()) {
        return ZeroShotEvaluation.evaluate(zs, validation).toMap("prompt_tuned_");
      }
    }

    ZeroShotClassifier classifier() {
      float[] e = classEmbeds().toFloatArray();
      Embeddings classes = new Embeddings(e, classNames.size(), e.length / classNames.size());
      return new EmbeddingClassifier(DjlBackendProvider.NAME, classNames, classes, model.logitScale(), model.imageEncoder().forSize(0));
    }

    @Override
    public void writeCheckpoint(Path dir, TrainerState state) throws IOException {
      NDArray classes = classEmbeds();
      StageCheckpoints.prompt(dir, model.source(), config, state, DjlBackendProvider.NAME, DjlTensors.engineVersions(),
          Tensor.ofFloats(ctx.getShape().getShape(), ctx.toFloatArray()),
          Tensor.ofFloats(classes.getShape().getShape(), classes.toFloatArray()), classNames, initText);
    }
  }

  /** {@code binary_cross_entropy_with_logits}, mean: {@code max(x,0) - x*y + log(1 + exp(-|x|))}. */
  /**
   * @param x the logits
   * @param y the targets, same shape
   * @return the mean loss, a scalar
   */
  public static NDArray bceWithLogits(NDArray x, NDArray y) {
    return x.maximum(NdOps.scalar(x, 0)).sub(x.mul(y)).add(x.abs().neg().exp().add(1f).log()).mean();
  }
}
