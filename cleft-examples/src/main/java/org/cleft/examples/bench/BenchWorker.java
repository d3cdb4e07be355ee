package org.cleft.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cleft.api.Backends;
import org.cleft.api.BatchSource;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageEncoder;
import org.cleft.api.RunFolder;
import org.cleft.api.TextEncoder;
import org.cleft.api.TokenBatch;
import org.cleft.api.TrainingBatch;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;

/**
 * One measurement in a process of its own, so that each backend's natives, threads and peak memory are its own:
 * {@link ModelBench} starts it and reads the one line it prints, {@code BENCH {json}}. Arguments: {@code backend
 * measure checkpoint batch tokens text-training weight-decay warmup iterations threads}, measure one of {@code train}
 * (contrastive steps on one in-memory batch, AdamW), {@code image} or {@code text} (encoder calls).
 */
public final class BenchWorker {
  /** The prefix of the result line. */
  static final String PREFIX = "BENCH ";

  private BenchWorker() {}

  /**
   * Runs the measurement and prints its result line.
   *
   * @param args see the class comment
   * @throws Exception when the backend cannot run it (the parent reports the worker's error output)
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 10) {
      throw new IllegalArgumentException("usage: BenchWorker backend measure checkpoint batch tokens text "
          + "weight-decay warmup iterations threads");
    }
    String backendName = args[0];
    String measure = args[1];
    Path checkpoint = Path.of(args[2]);
    int batch = Integer.parseInt(args[3]);
    int tokens = Integer.parseInt(args[4]);
    TrainingConfig.TextTraining text = TrainingConfig.TextTraining.valueOf(args[5]);
    double weightDecay = Double.parseDouble(args[6]);
    int warmup = Integer.parseInt(args[7]);
    int iterations = Integer.parseInt(args[8]);
    int threads = Integer.parseInt(args[9]);
    Map<String, String> extra = new LinkedHashMap<>();
    if (threads > 0) {
      extra.put("onnx.intra_op_threads", String.valueOf(threads));
    }
    BackendOptions d = BackendOptions.defaults();
    BackendOptions options = new BackendOptions(d.device(), d.precision(), extra);
    Capability capability = measure.equals("train") ? Capability.TRAINING : Capability.INFERENCE;
    List<Double> times;
    try (Backend backend = Backends.open(capability, backendName, options)) {
      times = switch (measure) {
        case "train" -> train(backend, checkpoint, batch, tokens, text, weightDecay, warmup, iterations);
        case "image" -> image(backend, checkpoint, batch, warmup, iterations);
        case "text" -> text(backend, checkpoint, batch, tokens, warmup, iterations);
        default -> throw new IllegalArgumentException("unknown measure '" + measure + "': train, image or text");
      };
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("backend", backendName);
    out.put("measure", measure);
    out.put("batch", batch);
    out.put("times", times);
    out.put("peak_rss_bytes", peakRss());
    System.out.println(PREFIX + new ObjectMapper().writeValueAsString(out));
  }

  private static List<Double> train(Backend backend, Path checkpoint, int batch, int tokens,
      TrainingConfig.TextTraining text, double weightDecay, int warmup, int iterations) throws Exception {
    Path out = Files.createTempDirectory("cleft-bench-train");
    try {
      int size;
      try (CleftModel model = backend.load(checkpoint)) {
        size = model.imageSize();
      }
      TrainingBatch b = new TrainingBatch(images(batch, size), tokens(batch, tokens), null);
      BatchSource data = new BatchSource() {
        @Override
        public Iterator<TrainingBatch> epoch(int epoch) {
          return List.of(b).iterator();
        }

        @Override
        public int batchesPerEpoch() {
          return 1;
        }
      };
      TrainingConfig config = TrainingConfig.builder().setOutputDir(out).optSteps(warmup + iterations)
          .optLearningRate(1e-4).optMinLearningRate(1e-4).optWarmupSteps(0).optWeightDecay(weightDecay)
          .optClipGradNorm(0).optText(text).optCheckpointEvery(0).optEvalEvery(0).optLogEvery(warmup + iterations)
          .optSeed(0).build();
      List<Double> times = new ArrayList<>();
      long[] last = {0};
      TrainingListener timer = new TrainingListener() {
        @Override
        public void onStep(long step, long totalSteps, double loss, double learningRate, double imagesPerSecond) {
          long now = System.nanoTime();
          if (step > warmup) {
            times.add((now - last[0]) / 1e9);
          }
          last[0] = now;
        }
      };
      try (ContrastiveTrainer trainer = backend.contrastiveTrainer(checkpoint, config, false)) {
        last[0] = System.nanoTime();
        trainer.train(data, null, timer);
      }
      return times;
    } finally {
      RunFolder.deleteTree(out);
    }
  }

  private static List<Double> image(Backend backend, Path checkpoint, int batch, int warmup, int iterations)
      throws Exception {
    try (CleftModel model = backend.load(checkpoint)) {
      ImageEncoder encoder = model.imageEncoder();
      ImageBatch images = images(batch, model.imageSize());
      return timed(() -> encoder.encode(images), warmup, iterations);
    }
  }

  private static List<Double> text(Backend backend, Path checkpoint, int batch, int tokens, int warmup,
      int iterations) throws Exception {
    try (CleftModel model = backend.load(checkpoint)) {
      TextEncoder encoder = model.textEncoder();
      TokenBatch ids = tokens(batch, Math.min(tokens, encoder.maxLength()));
      return timed(() -> encoder.encode(ids), warmup, iterations);
    }
  }

  private static List<Double> timed(Runnable call, int warmup, int iterations) {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      long t = System.nanoTime();
      call.run();
      times.add((System.nanoTime() - t) / 1e9);
    }
    return times;
  }

  /** Standard-normal pixels, as the anchor's {@code torch.randn}. */
  private static ImageBatch images(int batch, int size) {
    Random r = new Random(1);
    float[] px = new float[batch * 3 * size * size];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) r.nextGaussian();
    }
    return new ImageBatch(px, batch, 3, size, size);
  }

  /** Token ids drawn from [0, 50000), every position real, as the anchor's. */
  private static TokenBatch tokens(int batch, int length) {
    Random r = new Random(2);
    long[] ids = new long[batch * length];
    long[] mask = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(BenchShape.ID_RANGE);
      mask[i] = 1;
    }
    return new TokenBatch(ids, mask, batch, length);
  }

  /** {@return the process's peak resident memory (VmHWM), or -1 where /proc does not tell} */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
