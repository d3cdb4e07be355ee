package org.cleft.data.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cleft.data.manifest.CsvTable;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.Sample;
import org.cleft.data.manifest.SkipReason;
import org.cleft.data.manifest.SkipReport;
import org.cleft.data.manifest.UncertainPolicy;

/**
 * Loads a CheXpert CSV ({@code train.csv}, {@code valid.csv}, or a 5x200 list of the same shape):
 * columns Path, Sex, Age, Frontal/Lateral, AP/PA, then the 14 observations with 1, 0, -1 (uncertain)
 * or blank. Immutable; the {@code with*} methods return modified copies.
 *
 * <p>Defaults: frontal AP and PA views only (other views are counted as excluded), uncertain labels
 * as zeros ({@link UncertainPolicy#ZEROS}: the reference captions name only certain positives, so the
 * labels agree with the text), skip bad rows, all of the data. The Path column is resolved against the
 * CSV's folder, then against its parent, because the official CSVs say
 * {@code CheXpert-v1.0-small/train/...} while sitting inside {@code CheXpert-v1.0-small/}.
 */
public final class ChexpertLoader {
  private final List<String> classes;
  private final UncertainPolicy uncertain;
  private final Set<String> views;
  private final RowPolicy policy;
  private final double fraction;
  private final long seed;

  private ChexpertLoader(List<String> classes, UncertainPolicy uncertain, Set<String> views, RowPolicy policy,
      double fraction, long seed) {
    this.classes = List.copyOf(classes);
    this.uncertain = uncertain;
    this.views = Set.copyOf(views);
    this.policy = policy;
    this.fraction = fraction;
    this.seed = seed;
  }

  /**
   * A loader for the five competition classes ({@link ChexpertClasses#FIVE}).
   *
   * @return the loader with defaults
   */
  public static ChexpertLoader fiveClass() {
    return new ChexpertLoader(ChexpertClasses.FIVE, UncertainPolicy.ZEROS, Set.of("AP", "PA"), RowPolicy.SKIP, 1.0, 0);
  }

  /**
   * A loader for all 14 observations ({@link ChexpertClasses#FOURTEEN}).
   *
   * @return the loader with defaults
   */
  public static ChexpertLoader fourteenClass() {
    return fiveClass().withClasses(ChexpertClasses.FOURTEEN);
  }

  /**
   * A copy with other label columns.
   *
   * @param newClasses observation column names, in label order
   * @return the new loader
   */
  public ChexpertLoader withClasses(List<String> newClasses) {
    return new ChexpertLoader(newClasses, uncertain, views, policy, fraction, seed);
  }

  /**
   * A copy with another uncertain-label policy.
   *
   * @param newUncertain what {@code -1} becomes
   * @return the new loader
   */
  public ChexpertLoader withUncertain(UncertainPolicy newUncertain) {
    return new ChexpertLoader(classes, newUncertain, views, policy, fraction, seed);
  }

  /**
   * A copy keeping frontal images with these AP/PA values; an empty set keeps every view.
   *
   * @param newViews e.g. {@code Set.of("PA")}
   * @return the new loader
   */
  public ChexpertLoader withViews(Set<String> newViews) {
    return new ChexpertLoader(classes, uncertain, newViews, policy, fraction, seed);
  }

  /**
   * A copy with another bad-row policy.
   *
   * @param newPolicy FAIL_FAST or SKIP
   * @return the new loader
   */
  public ChexpertLoader withPolicy(RowPolicy newPolicy) {
    return new ChexpertLoader(classes, uncertain, views, newPolicy, fraction, seed);
  }

  /**
   * A copy keeping a seeded fraction of the usable samples (see {@link DataFraction}).
   *
   * @param newFraction in (0, 1], e.g. 0.01, 0.1 or 1
   * @param newSeed the sampling seed
   * @return the new loader
   */
  public ChexpertLoader withFraction(double newFraction, long newSeed) {
    if (!(newFraction > 0 && newFraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], got " + newFraction);
    }
    return new ChexpertLoader(classes, uncertain, views, policy, newFraction, newSeed);
  }

  /**
   * Loads a CheXpert 5x200 list: five classes, every view, and each row must have exactly one of the
   * five positive (the 5x200 set is built that way, so anything else is reported).
   *
   * @param csv the 5x200 CSV
   * @param rowPolicy FAIL_FAST or SKIP
   * @return the samples
   */
  public static LoadedDataset loadFiveByTwoHundred(Path csv, RowPolicy rowPolicy) {
    return fiveClass().withViews(Set.of()).withPolicy(rowPolicy).loadRows(csv, true);
  }

  /**
   * Loads the CSV.
   *
   * @param csv a CheXpert-format CSV
   * @return the samples, captions built by {@link Captions#chestXray}
   * @throws org.cleft.data.manifest.ManifestFormatException when the CSV is missing or lacks a column
   * @throws org.cleft.data.manifest.RowRejectedException at the first bad row under FAIL_FAST
   */
  public LoadedDataset load(Path csv) {
    return loadRows(csv, false);
  }

  private LoadedDataset loadRows(Path csv, boolean exactlyOnePositive) {
    CsvTable table = CsvTable.read(csv);
    int path = table.requireColumn("Path");
    int frontal = table.requireColumn("Frontal/Lateral");
    int apPa = table.requireColumn("AP/PA");
    int[] labelColumns = classes.stream().mapToInt(table::requireColumn).toArray();
    SkipReport skips = new SkipReport(csv, policy);
    Path dir = csv.toAbsolutePath().getParent();
    List<Sample> samples = new ArrayList<>();
    for (CsvTable.Record r : table.records()) {
      List<String> f = r.fields();
      if (f.size() != table.header().size()) {
        skips.reject(r.line(), SkipReason.MALFORMED_ROW, "has " + f.size() + " fields, the header has " + table.header().size());
        continue;
      }
      if (!views.isEmpty() && !(f.get(frontal).equals("Frontal") && views.contains(f.get(apPa)))) {
        skips.exclude("view " + f.get(frontal) + (f.get(apPa).isEmpty() ? "" : " " + f.get(apPa)));
        continue;
      }
      Path image = resolve(dir, f.get(path));
      if (image == null) {
        skips.reject(r.line(), SkipReason.MISSING_FILE, "image file not found: " + dir.resolve(f.get(path)));
        continue;
      }
      float[] labels = labels(r, labelColumns, skips);
      if (labels == null) {
        continue;
      }
      List<String> positives = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == 1f) {
          positives.add(classes.get(i));
        }
      }
      if (exactlyOnePositive && positives.size() != 1) {
        skips.reject(r.line(), SkipReason.INVALID_LABEL, "a 5x200 row needs exactly one positive of " + classes
            + ", found " + positives);
        continue;
      }
      samples.add(new Sample(image, Captions.chestXray(positives), labels, r.line()));
    }
    List<Sample> kept = fraction < 1 ? DataFraction.sample(samples, fraction, seed) : samples;
    for (int i = kept.size(); i < samples.size(); i++) {
      skips.exclude("outside the " + (fraction * 100) + "% sample (seed " + seed + ")");
    }
    return new LoadedDataset("chexpert", classes, kept, skips);
  }

  private float[] labels(CsvTable.Record r, int[] labelColumns, SkipReport skips) {
    float[] labels = new float[labelColumns.length];
    for (int i = 0; i < labels.length; i++) {
      try {
        labels[i] = uncertain.parse(r.fields().get(labelColumns[i]));
      } catch (IllegalArgumentException e) {
        skips.reject(r.line(), SkipReason.INVALID_LABEL, "column '" + classes.get(i) + "': " + e.getMessage());
        return null;
      }
    }
    return labels;
  }

  private static Path resolve(Path dir, String cell) {
    if (cell.isBlank()) {
      return null;
    }
    Path direct = dir.resolve(cell).normalize();
    if (Files.isRegularFile(direct)) {
      return direct;
    }
    Path parent = dir.getParent();
    Path viaParent = parent == null ? null : parent.resolve(cell).normalize();
    return viaParent != null && Files.isRegularFile(viaParent) ? viaParent : null;
  }
}
