package org.cleft.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.BatchSource;
import org.cleft.api.ClassCaptions;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.EmbeddingClassifier;
import org.cleft.api.TokenBatch;
import org.cleft.api.TrainingBatch;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.eval.ZeroShotEvaluation;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.train.StageCheckpoints;
import org.cleft.api.train.TrainerState;
import org.cleft.api.train.TrainingLoop;
import org.cleft.api.train.TrainingStage;
import org.cleft.api.train.TrainingTask;
import org.cleft.api.train.UpdateRule;
import org.cleft.api.train.Validation;
import org.cleft.djl.CleftNetwork;
import org.cleft.djl.DjlBackendProvider;
import org.cleft.djl.DjlCleftModel;
import org.cleft.model.peft.AdapterHook;

/**
 * CLEFT stage 1 on DJL: the symmetric contrastive loss over image-report pairs, training the adapter
 * (or the whole LM), the image tower (all, none or the last blocks), both projections and
 * {@code logit_scale}. Checkpoints are full CLEFT checkpoints that every backend loads.
 */
public final class DjlContrastiveTrainer implements ContrastiveTrainer {
  private final DjlCleftModel model;
  private final TrainingConfig config;
  private final Map<String, NDArray> params;
  private final UpdateRule<NDArray> optimizer;
  private boolean closed;
  private Path resumedFrom;
  private volatile int trainedImageSize;
  private TrainerState.Best resumedBest;

  private DjlContrastiveTrainer(DjlCleftModel model, TrainingConfig config, UpdateRule<NDArray> optimizer) {
    this.model = model;
    this.config = config;
    this.params = Trainables.contrastive(model.network(), model.adapter(), config);
    this.optimizer = optimizer;
  }

  /**
   * Loads the checkpoint and prepares a run.
   *
   * @param checkpoint the base checkpoint, or with {@code resume} a checkpoint this trainer wrote
   * @param config the run's configuration
   * @param resume continue from the checkpoint's step and optimiser state
   * @param options the backend's device options
   * @return the trainer, which the caller closes
   * @throws CheckpointException when the checkpoint (or its trainer state) is missing or malformed
   */
  public static DjlContrastiveTrainer create(Path checkpoint, TrainingConfig config, boolean resume,
      BackendOptions options) throws CheckpointException {
    DjlCleftModel model = DjlCleftModel.load(checkpoint, options,
        config.vision() == TrainingConfig.VisionTraining.FROZEN, config.text() != TrainingConfig.TextTraining.FULL);
    try {
      UpdateRule<NDArray> optimizer = UpdateRule.of(config, DjlTrainingEngine.INSTANCE);
      DjlContrastiveTrainer trainer = new DjlContrastiveTrainer(model, config, optimizer);
      if (resume) {
        TrainerState.Saved saved = TrainerState.read(checkpoint, TrainingStage.CONTRASTIVE.id(), config);
        optimizer.restore(saved.step(), saved.buffers(), trainer.params);
        trainer.resumedFrom = checkpoint;
        trainer.resumedBest = saved.best();
      }
      return trainer;
    } catch (CheckpointException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** {@return trainable parameter count} */
  public long trainableParameters() {
    return Trainables.count(params);
  }

  /** {@return parameter count of the whole model (towers, adapter, heads)} */
  public long totalParameters() {
    CleftNetwork net = model.network();
    long adapter = Trainables.count(model.adapter().parameters());
    return Trainables.count(net.textParameters()) + Trainables.count(net.visionParameters())
        + Trainables.count(net.headParameters()) + adapter;
  }

  @Override
  public TrainingReport train(BatchSource data, BatchSource validation, TrainingListener listener) {
    if (closed) {
      throw new IllegalStateException("djl: this trainer is closed");
    }
    TrainingLoop<NDArray> loop = new TrainingLoop<>(config, DjlTrainingEngine.INSTANCE, optimizer, trainableParameters(), totalParameters());
    loop.resumedFrom(resumedFrom, resumedBest);
    return loop.run(new Task(), data, validation, listener == null ? TrainingListener.none() : listener);
  }

  /** {@return the model being trained (its encoders see the current weights)} */
  public DjlCleftModel model() {
    return model;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.close();
    }
  }

  private final class Task implements TrainingTask<NDArray> {
    @Override
    public Map<String, NDArray> parameters() {
      return params;
    }

    @Override
    public NDArray loss(TrainingBatch batch) {
      TokenBatch t = batch.texts();
      if (t == null) {
        throw new IllegalArgumentException("contrastive training needs image-report pairs: a batch has no texts "
            + "(give the loader a tokenizer and a report column)");
      }
      NDManager m = model.manager();
      if (batch.images().height() == batch.images().width()) {
        trainedImageSize = batch.images().height(); // recorded in cleft.json: the size the tower is trained at
      }
      NDArray pixels = m.create(batch.images().pixels(), new Shape(batch.images().shape()));
      NDArray ids = m.create(t.ids(), new Shape(t.batch(), t.length()));
      NDArray mask = m.create(t.mask(), new Shape(t.batch(), t.length()));
      CleftNetwork net = model.network();
      NDArray img = net.encodeImages(pixels).embeds();
      NDArray txt = net.encodeTexts(ids, mask, model.adapter()).embeds();
      return CleftNetwork.contrastiveLoss(net.logits(img, txt));
    }

    @Override
    public void setTraining(boolean training) {
      // as peft's model.train(): the adapter's dropout and the (frozen or not) LM's own dropout
      model.network().setTraining(training);
    }

    @Override
    public Map<String, Double> evaluate(BatchSource validation) {
      Map<String, Double> out = new LinkedHashMap<>();
      if (!config.classNames().isEmpty()) {
        // evaluated at the training size, which may differ from the base checkpoint's input size
        ClassCaptions captions = config.captionStyle().classCaptions(config.classNames());
        try (ZeroShotClassifier zs = new EmbeddingClassifier(DjlBackendProvider.NAME, captions.classNames(),
            model.textEncoder().encodeTexts(captions.captions()), model.logitScale(), model.imageEncoder().forSize(0))) {
          out.putAll(ZeroShotEvaluation.evaluate(zs, validation).toMap("zero_shot_"));
        }
      }
      out.putAll(Validation.retrieval(model.imageEncoder().forSize(0), model.textEncoder(), validation));
      return out;
    }

    @Override
    public void writeCheckpoint(Path dir, TrainerState state) throws IOException {
      writeContrastiveCheckpoint(dir, state);
    }
  }

  private void writeContrastiveCheckpoint(Path dir, TrainerState state) throws IOException {
    CleftNetwork net = model.network();
    AdapterHook<NDArray> adapter = model.adapter();
    boolean adapterTrained = !adapter.parameters().isEmpty() && config.text() != TrainingConfig.TextTraining.FROZEN;
    StageCheckpoints.contrastive(dir, model.source(), config, state, new StageCheckpoints.Contrastive(
        DjlBackendProvider.NAME, DjlTensors.engineVersions(),
        config.vision() == TrainingConfig.VisionTraining.FROZEN ? null : DjlTensors.of(net.visionParameters(), k -> k),
        config.text() == TrainingConfig.TextTraining.FULL ? DjlTensors.of(net.textParameters(), k -> k) : null,
        adapterTrained ? DjlTensors.of(adapter.parameters(), k -> k) : null,
        DjlTensors.of(net.headParameters(), k -> k), trainedImageSize));
  }
}
