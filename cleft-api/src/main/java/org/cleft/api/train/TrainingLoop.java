package org.cleft.api.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * The step loop both CLEFT stages share, written once for every training engine: batches in a resumable order,
 * gradient accumulation, global-norm clipping, the schedule, the optimiser, NaN checks, metrics, evaluations, the
 * best checkpoint and atomic checkpoints. Each step runs in the engine's scope, so native memory stays flat.
 *
 * @param <T> the engine's parameter handle
 */
public final class TrainingLoop<T> {
  private final TrainingConfig config;
  private final TrainingEngine<T> engine;
  private final UpdateRule<T> optimizer;
  private final CosineWarmupSchedule schedule;
  private final MetricsLog log;
  private final long trainable;
  private final long total;
  private Path lastCheckpoint;
  private Path bestCheckpoint;
  private Map<String, Double> bestMetrics = Map.of();
  private double bestValue = Double.NEGATIVE_INFINITY;

  /**
   * Prepares a run.
   *
   * @param config the run's configuration
   * @param engine the engine
   * @param optimizer the optimiser (restored already when resuming)
   * @param trainable the number of trainable values, for the report
   * @param total the model's number of values, for the report
   */
  public TrainingLoop(TrainingConfig config, TrainingEngine<T> engine, UpdateRule<T> optimizer, long trainable,
      long total) {
    this.config = config;
    this.engine = engine;
    this.optimizer = optimizer;
    this.schedule = new CosineWarmupSchedule(config.learningRate(), config.minLearningRate(), config.warmupSteps(),
        config.steps());
    this.log = new MetricsLog(config.outputDir().resolve("metrics.jsonl"));
    this.trainable = trainable;
    this.total = total;
  }

  /**
   * Sets where this run continues from (its checkpoint and best evaluation so far), for messages and
   * {@code best/}.
   *
   * @param checkpoint the checkpoint resumed from
   * @param best its best evaluation so far, or null
   */
  public void resumedFrom(Path checkpoint, TrainerState.Best best) {
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

  /**
   * Runs the loop to {@code config.steps()}.
   *
   * @param task the stage
   * @param data the training batches
   * @param validation the validation batches, or null
   * @param listener receives steps, evaluations and checkpoints
   * @return the report
   * @throws TrainingDivergedException when the loss or the gradients stop being finite
   */
  public TrainingReport run(TrainingTask<T> task, BatchSource data, BatchSource validation, TrainingListener listener) {
    // an engine may allow one run at a time (DJL: one gradient collector per process, a global generator)
    synchronized (engine.runLock()) {
      return runExclusively(task, data, validation, listener);
    }
  }

  private TrainingReport runExclusively(TrainingTask<T> task, BatchSource data, BatchSource validation,
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
    Map<String, T> params = task.parameters();
    engine.requireGradients(params.values(), true);
    long step = optimizer.stepCount();
    prepareOutput(step);
    Batches batches = new Batches(data, step * config.gradientAccumulation());
    double loss = Double.NaN;
    Map<String, Double> metrics = Map.of();
    try {
      if (step == 0 && validation != null && config.selectMetric() != null && task.startIsCandidate()) {
        keepIfBest(task, evaluate(task, validation, 0, listener), 0, listener);
      }
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
      engine.requireGradients(params.values(), false);
      task.setTraining(false);
    }
    return new TrainingReport(step, loss, lastCheckpoint, trainable, total, (System.nanoTime() - start) / 1e9, metrics,
        bestCheckpoint, bestMetrics);
  }

  private double step(TrainingTask<T> task, Map<String, T> params, Batches batches, long stepNumber, double lr,
      int[] images) {
    double lossSum = 0;
    try (TrainingEngine.Scope scope = engine.scope()) {
      // dropout draws from the engine's generator: seeding it per step makes a resumed run identical to a straight one
      engine.seed(config.seed() * 1_000_003L + stepNumber);
      task.setTraining(true);
      int accumulation = config.gradientAccumulation();
      for (int k = 0; k < accumulation; k++) {
        TrainingBatch batch = batches.next();
        images[0] += batch.size();
        lossSum += engine.backward(() -> task.loss(batch), accumulation == 1 ? 1 : 1.0 / accumulation);
      }
      double loss = lossSum / accumulation;
      double norm = engine.norm(gradients(params));
      if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
        throw diverged(stepNumber, loss, norm, lr, nonFinite(params, 5));
      }
      if (config.clipGradNorm() > 0) {
        clip(params, norm, config.clipGradNorm());
      }
      optimizer.step(params, lr);
      return loss;
    } finally {
      // whether the step finished, diverged or failed on a batch, nothing is carried into the next one
      try (TrainingEngine.Scope scope = engine.scope()) {
        gradients(params).forEach(engine::zero);
      }
    }
  }

  private List<T> gradients(Map<String, T> params) {
    List<T> out = new ArrayList<>();
    for (T p : params.values()) {
      T g = engine.gradient(p);
      if (g != null) {
        out.add(g);
      }
    }
    return out;
  }

  /** Scales every gradient so that their global norm is at most {@code max} (as {@code clip_grad_norm_}). */
  private void clip(Map<String, T> params, double norm, double max) {
    double coef = max / (norm + 1e-6);
    if (coef < 1) {
      gradients(params).forEach(g -> engine.mul(g, coef));
    }
  }

  /** Up to {@code limit} parameters whose gradient or value is not finite, for the message. */
  private List<String> nonFinite(Map<String, T> params, int limit) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, T> e : params.entrySet()) {
      T g = engine.gradient(e.getValue());
      boolean badGrad = g != null && !engine.isFinite(g);
      if ((badGrad || !engine.isFinite(e.getValue())) && out.size() < limit) {
        out.add(e.getKey() + (badGrad ? " (gradient)" : " (value)"));
      }
    }
    return out;
  }

  private TrainingDivergedException diverged(long step, double loss, double norm, double lr, List<String> bad) {
    String what = (!Double.isFinite(loss) ? "the loss became " + loss : "the gradient norm became " + norm)
        + (bad.isEmpty() ? "" : " (not finite: " + String.join(", ", bad) + ")");
    String kept = lastCheckpoint == null ? "no checkpoint had been written yet"
        : "the last good checkpoint is " + lastCheckpoint;
    return new TrainingDivergedException("training stopped at step " + step + ": " + what + " (learning rate "
        + lr + "); the parameters were not updated and " + kept + ". Try a lower learning rate, more warm-up steps "
        + "or gradient clipping (clipGradNorm)", step, lastCheckpoint);
  }

  private Map<String, Double> evaluate(TrainingTask<T> task, BatchSource validation, long step, TrainingListener listener) {
    task.setTraining(false);
    Map<String, Double> metrics;
    try (TrainingEngine.Scope scope = engine.scope()) {
      metrics = task.evaluate(validation);
    }
    if (!metrics.isEmpty()) {
      log.eval(step, metrics);
      listener.onEvaluation(step, metrics);
    }
    return metrics;
  }

  /** With a selection metric, writes {@code best/} when this evaluation beats every earlier one. */
  private void keepIfBest(TrainingTask<T> task, Map<String, Double> metrics, long step, TrainingListener listener) {
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

  private void checkpoint(TrainingTask<T> task, long step, Batches batches, TrainingListener listener) {
    Path dir = config.outputDir().resolve(step == config.steps() ? "final" : String.format("checkpoint-%06d", step));
    write(task, dir, step);
    lastCheckpoint = dir;
    listener.onCheckpoint(step, dir);
  }

  /** Writes a checkpoint in its own scope: a task may run the towers to write it (prompt class embeddings). */
  private void write(TrainingTask<T> task, Path dir, long step) {
    Double best = Double.isInfinite(bestValue) ? null : bestValue;
    try (TrainingEngine.Scope scope = engine.scope()) {
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
