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
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.Finding;
import org.cleft.data.synthetic.SyntheticCase;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.data.synthetic.SyntheticReports;

/**
 * The demo's data: synthetic frontal chest X-rays with their reports, as PNG files plus manifests
 * ({@code path,report,<five classes>}). The reports are written by {@link SyntheticReports} the way radiology
 * reports read (findings and impression, synonyms, sides and sizes, negations), never in the zero-shot template.
 * The training split has one of the five CheXpert findings per image and a second one in every fourth image (as
 * pre-training reports mention several findings); the validation and held-out splits have exactly one each (a
 * CheXpert 5x200-style task). Splits are drawn with different seeds.
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
   * @param secondFindings whether every fourth image gets a second finding (the training split)
   * @return the manifest
   */
  static Path write(Path dir, String split, int count, int size, long seed, int threads, boolean secondFindings)
      throws IOException {
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
          Set<Finding> drawn = EnumSet.of(findings[index % findings.length]);
          if (secondFindings && index % 4 == 3) {
            int second = (index + 1 + (int) Math.floorMod(seeds[index], 4L)) % findings.length;
            drawn.add(findings[second]);
          }
          String rel = String.format(Locale.ROOT, "%s/%05d.png", split, index);
          SyntheticCase c = gen.generate(drawn, seeds[index]);
          SyntheticChestXrays.writePng(c.image(), dir.resolve(rel));
          StringBuilder row = new StringBuilder(rel).append(",\"").append(SyntheticReports.write(c, seeds[index]))
              .append('"');
          for (Finding g : findings) {
            row.append(',').append(drawn.contains(g) ? '1' : '0');
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
