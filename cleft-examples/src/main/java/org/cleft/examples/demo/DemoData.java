package org.cleft.examples.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cleft.data.dataset.Captions;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.Finding;
import org.cleft.data.synthetic.SyntheticChestXrays;

/**
 * The demo's data: synthetic frontal chest X-rays with exactly one of the five CheXpert findings
 * each (a CheXpert 5x200-style task), as PNG files plus manifests ({@code path,report,<five classes>})
 * for a training split and a held-out split drawn with different seeds.
 */
final class DemoData {
  /** The label columns, in order. */
  static final List<String> COLUMNS = List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema",
      "Pleural Effusion");
  /** The class names as the captions spell them (lower case), used for zero-shot and prompt tuning. */
  static final List<String> CLASSES = COLUMNS.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();

  private DemoData() {}

  /**
   * Writes {@code split/NNNNN.png} and {@code split_manifest.csv}, classes balanced and interleaved.
   *
   * @return the manifest
   */
  static Path write(Path dir, String split, int count, int size, long seed, int threads) throws IOException {
    ChestXrayGenerator gen = new ChestXrayGenerator(size, 0);
    Finding[] findings = Finding.values();
    Random r = new Random(seed);
    long[] seeds = new long[count];
    for (int i = 0; i < count; i++) {
      seeds[i] = r.nextLong();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<String>> rows = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        rows.add(pool.submit(() -> {
          Finding f = findings[index % findings.length];
          String rel = String.format(Locale.ROOT, "%s/%05d.png", split, index);
          SyntheticChestXrays.writePng(gen.generate(EnumSet.of(f), seeds[index]).image(), dir.resolve(rel));
          StringBuilder row = new StringBuilder(rel).append(",\"")
              .append(Captions.chestXray(List.of(f.chexpertName()))).append('"');
          for (Finding g : findings) {
            row.append(',').append(g == f ? '1' : '0');
          }
          return row.toString();
        }));
      }
      List<String> lines = new ArrayList<>();
      lines.add("path,report," + String.join(",", COLUMNS));
      for (Future<String> row : rows) {
        lines.add(row.get());
      }
      Path manifest = dir.resolve(split + "_manifest.csv");
      Files.write(manifest, lines, StandardCharsets.UTF_8);
      return manifest;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing the demo images", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("cannot write the demo images: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdown();
    }
  }
}
