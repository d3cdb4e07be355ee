package org.cleft.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.cleft.api.BatchSource;
import org.cleft.api.RunFolder;
import org.cleft.api.TrainingBatch;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingDivergedException;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.train.CosineWarmupSchedule;
import org.cleft.api.train.MetricsLog;
import org.cleft.api.train.TrainerState;
import org.cleft.djl.nn.NdOps;

/**
 * The step loop shared by both CLEFT stages: batches in a resumable order, gradient accumulation,
 * global-norm clipping, the schedule, the optimiser, NaN checks, metrics, evaluations and
 * checkpoints. Each step runs in its own {@link NDScope}, so native memory stays flat.
 */
final class TrainingLoop {

  /** What a stage plugs into the loop. */
  interface Task {
    /** Trainable parameters by name (gradients are required on them while the loop runs). */
    Map<String, NDArray> parameters();

    /** The loss of one batch, computed inside a gradient collector. */
    NDArray loss(TrainingBatch batch);

    /** Switches dropout and similar on or off. */
    void setTraining(boolean training);

    /** Evaluation metrics on the validation source (called outside training mode). */
    Map<String, Double> evaluate(BatchSource validation);

    /** Writes a checkpoint of the current state to {@code dir} atomically. */
    void writeCheckpoint(Path dir, TrainerState state) throws IOException;
  }

  private final TrainingConfig config;
  private final Optimizer optimizer;
  private final CosineWarmupSchedule schedule;
  private final MetricsLog log;
  private final long trainable;
  private final long total;
  private Path lastCheckpoint;
  private Path bestCheckpoint;
  private Map<String, Double> bestMetrics = Map.of();
  private double bestValue = Double.NEGATIVE_INFINITY;

  TrainingLoop(TrainingConfig config, Optimizer optimizer, long trainable, long total) {
    this.config = config;
    this.optimizer = optimizer;
    this.schedule = new CosineWarmupSchedule(config.learningRate(), config.minLearningRate(), config.warmupSteps(),
        config.steps());
    this.log = new MetricsLog(config.outputDir().resolve("metrics.jsonl"));
    this.trainable = trainable;
    this.total = total;
  }

  /** The optimiser for a configuration. */
  static Optimizer optimizer(TrainingConfig config) {
    return switch (config.optimizer()) {
      case ADAMW -> new AdamW(0.9, 0.999, 1e-8, config.weightDecay());
      case SGD -> new Sgd(config.momentum(), config.weightDecay());
    };
  }

  /**
   * Sets where this run continues from (its checkpoint and best evaluation so far), for messages and
   * {@code best/}.
   */
  void resumedFrom(Path checkpoint, TrainerState.Best best) {
    lastCheckpoint = checkpoint;
    if (best != null) {
      bestValue = best.value();
      bestCheckpoint = config.outputDir().resolve("best");
    }
  }

  /**
   * A new run refuses a folder that holds one; a resumed run drops the metrics lines written after its
   * checkpoint, so that each step is logged once.
   */
  private void prepareOutput(long resumedStep) {
    try {
      if (resumedStep > 0) {
        log.keepUpTo(resumedStep);
        return;
      }
      List<String> earlier = RunFolder.runFiles(config.outputDir());
      if (!earlier.isEmpty()) {
        throw new IllegalStateException(config.outputDir() + " holds a training run already " + earlier
            + "; resume it from one of its checkpoints, choose another output folder, or clear it first "
            + "(RunFolder.clear, the CLI's --overwrite)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(config.outputDir() + ": cannot read the output folder: " + e.getMessage(), e);
    }
  }

  TrainingReport run(Task task, BatchSource data, BatchSource validation, TrainingListener listener) {
    // DJL allows one gradient collector per process and torch's generator is global: one run at a time
    synchronized (TrainingLoop.class) {
      return runExclusively(task, data, validation, listener);
    }
  }

  private TrainingReport runExclusively(Task task, BatchSource data, BatchSource validation,
      TrainingListener listener) {
    if (config.selectMetric() != null && validation == null) {
      throw new IllegalArgumentException("selectMetric '" + config.selectMetric() + "' needs a validation source to "
          + "evaluate on");
    }
    if (data.batchesPerEpoch() <= 0) {
      throw new IllegalArgumentException("the training data yields no batch (batchesPerEpoch = "
          + data.batchesPerEpoch() + "); is the data set smaller than one batch with dropLast?");
    }
    long start = System.nanoTime();
    Map<String, NDArray> params = task.parameters();
    params.values().forEach(p -> p.setRequiresGradient(true));
    long step = optimizer.stepCount();
    prepareOutput(step);
    Batches batches = new Batches(data, step * config.gradientAccumulation());
    double loss = Double.NaN;
    Map<String, Double> metrics = Map.of();
    try {
      while (step < config.steps()) {
        long t0 = System.nanoTime();
        double lr = schedule.lr(step);
        int[] images = new int[1];
        loss = step(task, params, batches, step + 1, lr, images);
        step++;
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = images[0] / Math.max(seconds, 1e-9);
        listener.onStep(step, config.steps(), loss, lr, rate);
        if (step % config.logEvery() == 0 || step == config.steps()) {
          log.step(step, loss, lr, rate, (System.nanoTime() - start) / 1e9);
        }
        if (validation != null && (step == config.steps() || config.evalEvery() > 0 && step % config.evalEvery() == 0)) {
          metrics = evaluate(task, validation, step, listener);
          keepIfBest(task, metrics, step, listener);
        }
        if (step == config.steps() || config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) {
          checkpoint(task, step, batches, listener);
        }
      }
    } finally {
      params.values().forEach(p -> p.setRequiresGradient(false));
      task.setTraining(false);
    }
    return new TrainingReport(step, loss, lastCheckpoint, trainable, total, (System.nanoTime() - start) / 1e9, metrics,
        bestCheckpoint, bestMetrics);
  }

  private double step(Task task, Map<String, NDArray> params, Batches batches, long stepNumber, double lr,
      int[] images) {
    Engine engine = Engine.getEngine("PyTorch");
    double lossSum = 0;
    try (NDScope scope = new NDScope()) {
      // dropout draws from torch's generator: seeding it per step makes a resumed run identical to a straight one
      engine.setRandomSeed((int) (config.seed() * 1_000_003L + stepNumber));
      task.setTraining(true);
      for (int k = 0; k < config.gradientAccumulation(); k++) {
        TrainingBatch batch = batches.next();
        images[0] += batch.size();
        try (GradientCollector gc = engine.newGradientCollector()) {
          NDArray loss = task.loss(batch);
          lossSum += loss.getFloat();
          gc.backward(config.gradientAccumulation() == 1 ? loss : NdOps.div(loss, config.gradientAccumulation()));
        }
      }
      double loss = lossSum / config.gradientAccumulation();
      double norm = Gradients.globalNorm(params);
      if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
        throw diverged(stepNumber, loss, norm, lr, Gradients.nonFinite(params, 5));
      }
      if (config.clipGradNorm() > 0) {
        Gradients.clip(params, norm, config.clipGradNorm());
      }
      optimizer.step(params, lr);
      return loss;
    } finally {
      // whether the step finished, diverged or failed on a batch, nothing is carried into the next one
      try (NDScope scope = new NDScope()) {
        Gradients.zero(params);
      }
    }
  }

  private TrainingDivergedException diverged(long step, double loss, double norm, double lr, java.util.List<String> bad) {
    String what = (!Double.isFinite(loss) ? "the loss became " + loss : "the gradient norm became " + norm)
        + (bad.isEmpty() ? "" : " (not finite: " + String.join(", ", bad) + ")");
    String kept = lastCheckpoint == null ? "no checkpoint had been written yet"
        : "the last good checkpoint is " + lastCheckpoint;
    return new TrainingDivergedException("training stopped at step " + step + ": " + what + " (learning rate "
        + lr + "); the parameters were not updated and " + kept + ". Try a lower learning rate, more warm-up steps "
        + "or gradient clipping (clipGradNorm)", step, lastCheckpoint);
  }

  private Map<String, Double> evaluate(Task task, BatchSource validation, long step, TrainingListener listener) {
    task.setTraining(false);
    Map<String, Double> metrics;
    try (NDScope scope = new NDScope()) {
      metrics = task.evaluate(validation);
    }
    if (!metrics.isEmpty()) {
      log.eval(step, metrics);
      listener.onEvaluation(step, metrics);
    }
    return metrics;
  }

  /** With a selection metric, writes {@code best/} when this evaluation beats every earlier one. */
  private void keepIfBest(Task task, Map<String, Double> metrics, long step, TrainingListener listener) {
    String name = config.selectMetric();
    if (name == null) {
      return;
    }
    Double value = metrics.get(name);
    if (value == null) {
      throw new IllegalArgumentException("selectMetric '" + name + "' is not among the evaluation's metrics "
          + metrics.keySet());
    }
    // NaN (e.g. an AUC with a class that has no positives) never counts as an improvement
    if (!(value > bestValue)) {
      return;
    }
    bestValue = value;
    bestMetrics = metrics;
    Path dir = config.outputDir().resolve("best");
    write(task, dir, step);
    bestCheckpoint = dir;
    log.best(step, name, value);
    listener.onCheckpoint(step, dir);
  }

  private void checkpoint(Task task, long step, Batches batches, TrainingListener listener) {
    Path dir = config.outputDir().resolve(step == config.steps() ? "final" : String.format("checkpoint-%06d", step));
    write(task, dir, step);
    lastCheckpoint = dir;
    listener.onCheckpoint(step, dir);
  }

  /** Writes a checkpoint in its own scope: a task may run the towers to write it (prompt class embeddings). */
  private void write(Task task, Path dir, long step) {
    Double best = Double.isInfinite(bestValue) ? null : bestValue;
    try (NDScope scope = new NDScope()) {
      task.writeCheckpoint(dir, new TrainerState(step, config, optimizer.state(),
          best == null ? null : new TrainerState.Best(config.selectMetric(), best)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The training batches from a micro-batch position on, across epochs. */
  private static final class Batches {
    private final BatchSource source;
    private int epoch;
    private Iterator<TrainingBatch> current;

    Batches(BatchSource source, long position) {
      this.source = source;
      int perEpoch = source.batchesPerEpoch();
      this.epoch = (int) (position / perEpoch);
      this.current = source.epoch(epoch);
      for (long i = 0; i < position % perEpoch; i++) {
        next();
      }
    }

    TrainingBatch next() {
      if (!current.hasNext()) {
        epoch++;
        current = source.epoch(epoch);
        if (!current.hasNext()) {
          throw new NoSuchElementException("epoch " + epoch + " of the training data is empty");
        }
      }
      return current.next();
    }
  }
}
