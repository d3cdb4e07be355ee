package org.cleft.tf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.api.eval.ZeroShotEvaluation;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.train.HostTensor;
import org.cleft.api.train.HostTrainingEngine;
import org.cleft.api.train.StageCheckpoints;
import org.cleft.api.train.TrainerState;
import org.cleft.api.train.TrainingLoop;
import org.cleft.api.train.TrainingStage;
import org.cleft.api.train.TrainingTask;
import org.cleft.api.train.UpdateRule;
import org.cleft.api.train.Validation;
import org.cleft.model.CleftTowers;
import org.cleft.model.heads.ClipProjections;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.train.TrainableSelection;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * CLEFT stage 1 on TensorFlow: the contrastive loss and its gradients in a graph (one per image size), the trainable
 * parameters and AdamW / SGD on the host, through the engine-neutral training loop. Checkpoints are full CLEFT
 * checkpoints that every backend loads ({@link StageCheckpoints}).
 */
public final class TfContrastiveTrainer implements ContrastiveTrainer {
  private final CleftCheckpoint base;
  private final TfParts parts;
  private final TrainingConfig config;
  private final TfTrainables params = new TfTrainables();
  private final Map<Integer, StepGraph> graphs = new HashMap<>();
  private final List<TfGraph> owned = new ArrayList<>();
  private final UpdateRule<HostTensor> optimizer;
  private final HostTrainingEngine engine = new HostTrainingEngine();
  private Path resumedFrom;
  private TrainerState.Best resumedBest;
  private volatile int trainedImageSize;
  private boolean closed;

  /** A graph of the step at one image size: its inputs, loss and the gradients of the trainable parameters. */
  private record StepGraph(TfGraph graph, Operand<TFloat32> pixels, Operand<TInt64> ids, Operand<TInt64> mask,
      Operand<TInt64> seed, Operand<TFloat32> loss, List<String> names, List<Output<?>> gradients) {}

  private TfContrastiveTrainer(CleftCheckpoint base, TrainingConfig config) throws CheckpointException {
    this.base = base;
    this.config = config;
    this.parts = TfParts.open(base);
    this.optimizer = UpdateRule.of(config, engine);
  }

  /**
   * Loads the checkpoint and prepares a run.
   *
   * @param checkpoint the base checkpoint, or with {@code resume} a checkpoint this trainer wrote
   * @param config the run's configuration
   * @param resume continue from the checkpoint's step and optimiser state
   * @return the trainer, which the caller closes
   * @throws CheckpointException when the checkpoint (or its trainer state) is missing or malformed
   */
  public static TfContrastiveTrainer create(Path checkpoint, TrainingConfig config, boolean resume)
      throws CheckpointException {
    TfContrastiveTrainer t = new TfContrastiveTrainer(CleftCheckpoint.open(checkpoint), config);
    try {
      t.graph(t.base.imageSize()); // chooses the trainable parameters
      if (resume) {
        TrainerState.Saved saved = TrainerState.read(checkpoint, TrainingStage.CONTRASTIVE.id(), config);
        t.optimizer.restore(saved.step(), saved.buffers(), t.params.host());
        t.resumedFrom = checkpoint;
        t.resumedBest = saved.best();
      }
      return t;
    } catch (CheckpointException | RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** The step's graph at an image size, built the first time (the first one also chooses the parameters). */
  private synchronized StepGraph graph(int size) throws CheckpointException {
    StepGraph sg = graphs.get(size);
    if (sg != null) {
      return sg;
    }
    TfGraph g = new TfGraph();
    owned.add(g);
    Operand<TInt64> seed = g.tf().placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    TfOps ops = TfOps.training(g.tf(), seed);
    VisionConfig vc = base.visionConfig();
    CleftTowers<Operand<?>> towers = parts.towers(g);
    AdapterHook<Operand<?>> hook = parts.unmergedAdapter(g);
    Operand<TFloat32> pixels = g.tf().placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, vc.numChannels(), size, size)));
    Operand<TInt64> ids = g.tf().placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
    Operand<TInt64> mask = g.tf().placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
    Operand<?> img = towers.image().encode(ops, pixels, size, size).embeds();
    Operand<?> txt = towers.text().encode(ops, ids, mask, hook).embeds();
    Operand<TFloat32> loss = TfLosses.contrastive(g.tf(), towers.logits(ops, img, txt));
    Map<String, Operand<?>> trainable = TrainableSelection.contrastive(part(g, TfCleftModel.VISION),
        part(g, TfCleftModel.TEXT), hook.parameters(), heads(g), parts.vf, towers.image().tower().layers(), config);
    if (params.host().isEmpty()) {
      trainable.forEach((k, p) -> params.add(k, g.weights().get(p)));
    }
    List<String> names = new ArrayList<>(trainable.keySet());
    Output<?>[] xs = trainable.values().stream().map(Operand::asOutput).toArray(Output[]::new);
    List<Output<?>> gradients = List.of(g.graph().addGradients(loss.asOutput(), xs));
    g.start();
    sg = new StepGraph(g, pixels, ids, mask, seed, loss, names, gradients);
    graphs.put(size, sg);
    return sg;
  }

  /** The graph's weights of one part, by name without the part's prefix. */
  private static Map<String, Operand<?>> part(TfGraph g, String prefix) {
    Map<String, Operand<?>> out = new LinkedHashMap<>();
    g.named().forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  private static Map<String, Operand<?>> heads(TfGraph g) {
    Map<String, Operand<?>> out = new LinkedHashMap<>();
    g.named().forEach((k, v) -> {
      if (!k.startsWith(TfCleftModel.VISION) && !k.startsWith(TfCleftModel.TEXT) && !k.startsWith(TfCleftModel.ADAPTER)
          && !k.contains(".default")) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * {@return the native objects this trainer holds now: its graphs, the weight tensors and the values of runs still
   * open (the same between steps when nothing leaks); for the flat-memory tests}
   */
  public synchronized long nativeObjects() {
    long n = owned.size();
    for (TfGraph g : owned) {
      n += g.liveValues();
    }
    n += parts.tensorCount();
    return n;
  }

  /** {@return trainable parameter count} */
  public long trainableParameters() {
    return params.count();
  }

  /** {@return the whole model's parameter count (towers, adapter, heads)} */
  public long totalParameters() {
    return parts.values(true);
  }

  @Override
  public TrainingReport train(BatchSource data, BatchSource validation, TrainingListener listener) {
    if (closed) {
      throw new IllegalStateException("tf: this trainer is closed");
    }
    TrainingLoop<HostTensor> loop = new TrainingLoop<>(config, engine, optimizer, trainableParameters(),
        totalParameters());
    loop.resumedFrom(resumedFrom, resumedBest);
    return loop.run(new Task(), data, validation, listener == null ? TrainingListener.none() : listener);
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
    private TfEvaluation evaluation;

    @Override
    public Map<String, HostTensor> parameters() {
      return params.host();
    }

    @Override
    public HostTensor loss(TrainingBatch batch) {
      TokenBatch t = batch.texts();
      if (t == null) {
        throw new IllegalArgumentException("contrastive training needs image-report pairs: a batch has no texts "
            + "(give the loader a tokenizer and a report column)");
      }
      int size = batch.images().height();
      if (size == batch.images().width()) {
        trainedImageSize = size;
      }
      StepGraph sg;
      try {
        sg = graph(size);
      } catch (CheckpointException e) {
        throw new IllegalStateException("tf: cannot build the training graph at " + size + " px: " + e.getMessage(), e);
      }
      params.sync();
      Shape ts = Shape.of(t.shape());
      TFloat32 px = TFloat32.tensorOf(Shape.of(batch.images().shape()), DataBuffers.of(batch.images().pixels(), true,
          false));
      TInt64 i = TInt64.tensorOf(ts, DataBuffers.of(t.ids(), true, false));
      TInt64 m = TInt64.tensorOf(ts, DataBuffers.of(t.mask(), true, false));
      TInt64 key = TInt64.vectorOf(engine.randomKey());
      List<Operand<?>> fetch = new ArrayList<>();
      fetch.add(sg.loss());
      sg.gradients().forEach(fetch::add);
      double value;
      List<float[]> grads = new ArrayList<>();
      try (TfGraph.Call call = sg.graph().call(px, i, m, key)) {
        Result r = call.run(Map.<Operand<?>, org.tensorflow.Tensor>of(sg.pixels(), px, sg.ids(), i, sg.mask(), m,
            sg.seed(), key), fetch);
        value = ((TFloat32) r.get(0)).getFloat();
        for (int k = 1; k < fetch.size(); k++) {
          TFloat32 g = (TFloat32) r.get(k);
          float[] v = new float[(int) g.size()];
          g.copyTo(DataBuffers.of(v, false, false));
          grads.add(v);
        }
      }
      return HostTensor.loss(value, f -> {
        for (int k = 0; k < grads.size(); k++) {
          params.host().get(sg.names().get(k)).accumulate(f, grads.get(k));
        }
      });
    }

    @Override
    public void setTraining(boolean training) {
      // the step's graph has its dropout; evaluation runs graphs without it
    }

    @Override
    public Map<String, Double> evaluate(BatchSource validation) {
      params.sync();
      if (evaluation == null) {
        evaluation = new TfEvaluation(parts, owned);
      }
      Map<String, Double> out = new LinkedHashMap<>();
      if (!config.classNames().isEmpty()) {
        ClassCaptions captions = config.captionStyle().classCaptions(config.classNames());
        try (ZeroShotClassifier zs = new EmbeddingClassifier(TfBackendProvider.NAME, captions.classNames(),
            evaluation.textEncoder().encodeTexts(captions.captions()), logitScale(), imageEncoder())) {
          out.putAll(ZeroShotEvaluation.evaluate(zs, validation).toMap("zero_shot_"));
        }
      }
      out.putAll(Validation.retrieval(imageEncoder(), evaluation.textEncoder(), validation));
      return out;
    }

    @Override
    public void writeCheckpoint(Path dir, TrainerState state) throws IOException {
      params.sync();
      // trained heads have no part prefix; text.* holds the adapter (peft runtime names) and, for FULL, the LM
      Map<String, Tensor> headValues = parts.heads.snapshot(n -> true, params.tensors(""));
      Map<String, Tensor> adapterRuntime = new LinkedHashMap<>();
      Map<String, Tensor> lm = new LinkedHashMap<>();
      params.tensors(TfCleftModel.TEXT)
          .forEach((k, v) -> (k.startsWith("base_model.") ? adapterRuntime : lm).put(k, v));
      boolean adapterTrained = parts.peft != null && config.text() != TrainingConfig.TextTraining.FROZEN;
      StageCheckpoints.contrastive(dir, base, config, state, new StageCheckpoints.Contrastive(TfBackendProvider.NAME,
          TfBackend.engineVersions(),
          config.vision() == TrainingConfig.VisionTraining.FROZEN ? null
              : parts.vision.snapshot(parts.vf::isWeight, params.tensors(TfCleftModel.VISION)),
          config.text() == TrainingConfig.TextTraining.FULL
              ? parts.text.snapshot(parts.tfam::isWeight, lm) : null,
          adapterTrained ? adapterRuntime : null, headValues, trainedImageSize));
    }

    private float logitScale() {
      return params.host().get(ClipProjections.LOGIT_SCALE).values()[0];
    }

    /** Evaluated at the validation batches' size, which may differ from the base checkpoint's. */
    private org.cleft.api.ImageEncoder imageEncoder() {
      return evaluation.anySize();
    }
  }
}
