package org.cleft.data.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cleft.data.manifest.CsvTable;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.Sample;
import org.cleft.data.manifest.SkipReason;
import org.cleft.data.manifest.SkipReport;

/**
 * Loads EMBED mammograms: the metadata table (one row per DICOM: {@code anon_dicom_path},
 * {@code empi_anon}, {@code acc_anon}, and the image side in {@code side} or
 * {@code ImageLateralityFinal}) joined with the clinical table ({@code empi_anon}, {@code acc_anon},
 * {@code side}, {@code asses}, {@code tissueden}, ...) on patient, accession and side. A clinical row
 * with side {@code B} (bilateral) or blank matches both sides; of several matches the first with a valid
 * label is used. Rows with no match, a blank or an invalid label, or a missing image are skipped with
 * the reason. Labels are one-hot; captions read {@code "this is a mammogram of a patient with <class>"}.
 */
public final class EmbedLoader {
  private final EmbedTask task;
  private final RowPolicy policy;
  private final String pathPrefix;

  /**
   * A loader.
   *
   * @param task BI-RADS or density
   * @param policy FAIL_FAST or SKIP for bad rows
   * @param pathPrefix the prefix of {@code anon_dicom_path} to replace by the image root (EMBED's paths
   *     are absolute on the curators' file server, e.g. {@code /mnt/NAS2/mammo/anon_dicom/}); empty to
   *     resolve relative paths against the root and use absolute ones as they are
   */
  public EmbedLoader(EmbedTask task, RowPolicy policy, String pathPrefix) {
    this.task = task;
    this.policy = policy;
    this.pathPrefix = pathPrefix == null ? "" : pathPrefix;
  }

  /**
   * Loads and joins the two tables; row numbers refer to the metadata table.
   *
   * @param metadataCsv the metadata table
   * @param clinicalCsv the clinical table
   * @param imageRoot the folder the DICOM paths resolve against
   * @return one sample per usable metadata row
   */
  public LoadedDataset load(Path metadataCsv, Path clinicalCsv, Path imageRoot) {
    CsvTable clinicalTable = CsvTable.read(clinicalCsv);
    int cSide = clinicalTable.requireColumn("side");
    int cLabel = clinicalTable.requireColumn(task.column());
    CsvTable meta = CsvTable.read(metadataCsv);
    int path = meta.requireColumn("anon_dicom_path");
    int empi = meta.requireColumn("empi_anon");
    int acc = meta.requireColumn("acc_anon");
    int side = meta.column("side").orElseGet(() -> meta.requireColumn("ImageLateralityFinal"));
    SkipReport skips = new SkipReport(metadataCsv, policy);
    Map<String, List<List<String>>> clinical = clinicalByExam(clinicalTable, skips);
    List<Sample> samples = new ArrayList<>();
    for (CsvTable.Record r : meta.records()) {
      List<String> f = r.fields();
      if (f.size() != meta.header().size()) {
        skips.reject(r.line(), SkipReason.MALFORMED_ROW, "has " + f.size() + " fields, the header has " + meta.header().size());
        continue;
      }
      String exam = "empi_anon " + f.get(empi).trim() + ", acc_anon " + f.get(acc).trim();
      List<List<String>> candidates = clinical.getOrDefault(key(f.get(empi), f.get(acc)), List.of()).stream()
          .filter(c -> sideMatches(c.get(cSide), f.get(side))).toList();
      if (candidates.isEmpty()) {
        skips.reject(r.line(), SkipReason.NO_MATCH, "no clinical row for " + exam + ", side " + f.get(side));
        continue;
      }
      Optional<Integer> label = candidates.stream().map(c -> c.get(cLabel)).filter(v -> !v.isBlank())
          .map(task::classOf).flatMap(Optional::stream).findFirst();
      if (label.isEmpty()) {
        boolean allBlank = candidates.stream().allMatch(c -> c.get(cLabel).isBlank());
        skips.reject(r.line(), allBlank ? SkipReason.MISSING_LABEL : SkipReason.INVALID_LABEL,
            "'" + task.column() + "' is " + (allBlank ? "blank" : "invalid ('" + candidates.get(0).get(cLabel) + "')")
            + " in the clinical rows for " + exam);
        continue;
      }
      Path image = resolve(imageRoot, f.get(path).trim());
      if (!Files.isRegularFile(image)) {
        skips.reject(r.line(), SkipReason.MISSING_FILE, "image file not found: " + image);
        continue;
      }
      float[] oneHot = new float[task.classNames().size()];
      oneHot[label.get()] = 1f;
      samples.add(new Sample(image, "this is a mammogram of a patient with " + task.classNames().get(label.get()),
          oneHot, r.line()));
    }
    return new LoadedDataset("embed-" + task.name().toLowerCase(java.util.Locale.ROOT), task.classNames(), samples, skips);
  }

  private Path resolve(Path root, String cell) {
    if (!pathPrefix.isEmpty() && cell.startsWith(pathPrefix)) {
      return root.resolve(cell.substring(pathPrefix.length()).replaceFirst("^/+", "")).normalize();
    }
    Path p = Path.of(cell);
    return p.isAbsolute() ? p : root.resolve(p).normalize();
  }

  private static boolean sideMatches(String clinicalSide, String imageSide) {
    String c = clinicalSide.trim();
    return c.isEmpty() || c.equalsIgnoreCase("B") || c.equalsIgnoreCase(imageSide.trim());
  }

  /** Indexes clinical rows by exam; malformed ones cannot be joined and are counted as excluded. */
  private static Map<String, List<List<String>>> clinicalByExam(CsvTable t, SkipReport skips) {
    int empi = t.requireColumn("empi_anon");
    int acc = t.requireColumn("acc_anon");
    Map<String, List<List<String>>> m = new HashMap<>();
    for (CsvTable.Record r : t.records()) {
      if (r.fields().size() == t.header().size()) {
        m.computeIfAbsent(key(r.fields().get(empi), r.fields().get(acc)), k -> new ArrayList<>()).add(r.fields());
      } else {
        skips.exclude("malformed row in " + t.file().getFileName() + " (wrong field count)");
      }
    }
    return m;
  }

  private static String key(String empi, String acc) {
    return empi.trim() + "|" + acc.trim();
  }
}
