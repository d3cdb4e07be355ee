package org.cleft.data.loader;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.transform.ImagePipeline;

/**
 * Measures loader throughput: writes synthetic 1024x1024 grey PNGs to a temporary folder and loads
 * them into 224x224 batches (PNG decoding plus the evaluation or training pipeline) with 1 and 2
 * worker threads, printing images per second.
 *
 * <p>Usage: {@code LoaderBenchmark [images=48] [batch=16] [threads=1,2] [pipeline=eval|train]}.
 */
public final class LoaderBenchmark {
  private LoaderBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: image count, batch size, comma-separated thread counts, pipeline name
   * @throws IOException when the temporary images cannot be written
   */
  public static void main(String[] args) throws IOException {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 48;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    String[] threadCounts = (args.length > 2 ? args[2] : "1,2").split(",");
    ImagePipeline pipeline = args.length > 3 && args[3].equals("train") ? ImagePipeline.training()
        : ImagePipeline.evaluation();
    Path dir = Files.createTempDirectory("cleft-loader-bench");
    try {
      List<Sample> samples = writeImages(dir, images);
      System.out.printf("%d synthetic 1024x1024 PNGs -> %d x 3x224x224 batches, %d cores%n", images, batch,
          Runtime.getRuntime().availableProcessors());
      System.out.printf("%-8s %-10s %-10s%n", "threads", "seconds", "images/s");
      for (String t : threadCounts) {
        int threads = Integer.parseInt(t.trim());
        double seconds = run(SampleSource.of(samples), pipeline, batch, threads);
        System.out.printf("%-8d %-10.2f %-10.1f%n", threads, seconds, images / seconds);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static double run(SampleSource source, ImagePipeline pipeline, int batch, int threads) {
    try (BatchLoader loader = BatchLoader.builder(source, pipeline).optBatchSize(batch).optThreads(threads)
        .optSeed(1).build()) {
      drain(loader.epoch(0)); // warm-up: JIT and ImageIO initialisation
      long start = System.nanoTime();
      drain(loader.epoch(1));
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static void drain(Iterator<Batch> batches) {
    while (batches.hasNext()) {
      batches.next();
    }
  }

  private static List<Sample> writeImages(Path dir, int count) throws IOException {
    ImageDecoder decoder = new ImageDecoder();
    List<Sample> samples = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(1024, 1024, BufferedImage.TYPE_BYTE_GRAY);
      byte[] data = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
      for (int y = 0; y < 1024; y++) {
        for (int x = 0; x < 1024; x++) {
          double dx = (x - 512) / 300.0;
          double dy = (y - 540) / 380.0;
          double body = y < 80 ? 0 : 40 + 150 * Math.exp(-(dx * dx + dy * dy));
          data[y * 1024 + x] = (byte) Math.max(0, Math.min(255, body + random.nextInt(16)));
        }
      }
      Path file = dir.resolve("image" + i + ".png");
      ImageIO.write(image, "png", file.toFile());
      samples.add(new Sample(ImageSource.file(file, decoder), "synthetic image " + i, new float[] {i % 2}));
    }
    return samples;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + p, e);
        }
      });
    }
  }
}
