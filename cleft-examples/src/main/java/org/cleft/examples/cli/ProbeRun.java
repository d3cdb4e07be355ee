package org.cleft.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.eval.LinearProbe;
import org.cleft.api.eval.LinearProbeModel;
import org.cleft.api.eval.ProbeResult;
import org.cleft.data.manifest.Sample;

/**
 * Linear probing for {@code cleft eval}: encodes the training and test images once, then fits and tests
 * one probe per label fraction. Only images with exactly one positive class take part (the probe is a
 * single-label classifier).
 */
final class ProbeRun {
  private final ModelSession session;
  private final int batchSize;
  private final int threads;
  private final LinearProbe probe;
  private final long seed;

  ProbeRun(ModelSession session, int batchSize, int threads, double l2, long seed) {
    this.session = session;
    this.batchSize = batchSize;
    this.threads = threads;
    this.probe = new LinearProbe(l2, 1000, 1e-6);
    this.seed = seed;
  }

  /** The outcome: one result per fraction, and how many images each side used. */
  record Outcome(Map<Double, ProbeResult> results, int trainImages, int testImages, int skippedImages) {}

  Outcome run(EvalData train, EvalData test, List<Double> fractions) {
    if (!train.classNames().equals(test.classNames())) {
      throw new CliFailure("the probe's training classes " + train.classNames() + " differ from the evaluation "
          + "classes " + test.classNames(), "give --train-manifest data with the same label columns");
    }
    Labelled tr = labelled(train);
    Labelled te = labelled(test);
    if (tr.labels.length == 0 || te.labels.length == 0) {
      throw new CliFailure("linear probe: no image with exactly one positive class in "
          + (tr.labels.length == 0 ? train.description() : test.description()),
          "the probe needs single-label images; check the label columns (--classes)");
    }
    Map<Double, ProbeResult> results = new LinkedHashMap<>();
    for (double f : fractions) {
      LinearProbeModel m = probe.fit(tr.features, tr.labels, f, seed);
      results.put(f, m.evaluate(te.features, te.labels));
    }
    int skipped = train.size() - tr.labels.length + test.size() - te.labels.length;
    return new Outcome(results, tr.labels.length, te.labels.length, skipped);
  }

  private record Labelled(float[][] features, int[] labels) {}

  private Labelled labelled(EvalData data) {
    List<Integer> keep = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<Sample> samples = data.dataset().samples();
    for (int i = 0; i < samples.size(); i++) {
      int label = singlePositive(samples.get(i).labels());
      if (label >= 0) {
        keep.add(i);
        labels.add(label);
      }
    }
    float[][] all = ImageFeatures.encode(session.model().imageEncoder(), data.samples(), session.imageSize(),
        batchSize, threads);
    float[][] features = keep.stream().map(i -> all[i]).toArray(float[][]::new);
    return new Labelled(features, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The one positive column, or -1 when there are none or several. */
  private static int singlePositive(float[] labels) {
    int found = -1;
    for (int c = 0; c < labels.length; c++) {
      if (labels[c] == 1f) {
        if (found >= 0) {
          return -1;
        }
        found = c;
      }
    }
    return found;
  }
}
