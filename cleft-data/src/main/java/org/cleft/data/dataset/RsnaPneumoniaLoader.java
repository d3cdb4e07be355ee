package org.cleft.data.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.data.manifest.CsvTable;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.Sample;
import org.cleft.data.manifest.SkipReason;
import org.cleft.data.manifest.SkipReport;

/**
 * Loads the RSNA Pneumonia Detection Challenge labels ({@code stage_2_train_labels.csv}: patientId, x,
 * y, width, height, Target; one row per box, so several rows per patient) with DICOM images
 * {@code {patientId}.dcm}. A patient is positive when any of its rows has Target 1. One class,
 * "Pneumonia"; captions {@code "... with pneumonia"} or {@code "... with no finding"}.
 */
public final class RsnaPneumoniaLoader {
  /** The single class. */
  public static final List<String> CLASSES = List.of("Pneumonia");

  private final RowPolicy policy;

  /**
   * A loader.
   *
   * @param policy FAIL_FAST or SKIP for bad rows
   */
  public RsnaPneumoniaLoader(RowPolicy policy) {
    this.policy = policy;
  }

  /**
   * Loads one sample per patient.
   *
   * @param labelsCsv {@code stage_2_train_labels.csv}
   * @param imageDir the folder of {@code {patientId}.dcm} files ({@code stage_2_train_images})
   * @return the samples in first-appearance order; row numbers are each patient's first row
   */
  public LoadedDataset load(Path labelsCsv, Path imageDir) {
    CsvTable table = CsvTable.read(labelsCsv);
    int id = table.requireColumn("patientId");
    int target = table.requireColumn("Target");
    SkipReport skips = new SkipReport(labelsCsv, policy);
    Map<String, int[]> patients = new LinkedHashMap<>(); // id -> {first line, positive}
    for (CsvTable.Record r : table.records()) {
      List<String> f = r.fields();
      if (f.size() != table.header().size() || f.get(id).isBlank()) {
        skips.reject(r.line(), SkipReason.MALFORMED_ROW, f.size() != table.header().size()
            ? "has " + f.size() + " fields, the header has " + table.header().size() : "blank patientId");
        continue;
      }
      String t = f.get(target).trim();
      if (!t.equals("0") && !t.equals("1")) {
        skips.reject(r.line(), SkipReason.INVALID_LABEL, "Target '" + t + "' of patient " + f.get(id) + " is not 0 or 1");
        continue;
      }
      int[] p = patients.computeIfAbsent(f.get(id).trim(), k -> new int[] {r.line(), 0});
      p[1] |= t.equals("1") ? 1 : 0;
    }
    List<Sample> samples = new ArrayList<>();
    for (Map.Entry<String, int[]> e : patients.entrySet()) {
      Path image = imageDir.resolve(e.getKey() + ".dcm");
      if (!Files.isRegularFile(image)) {
        skips.reject(e.getValue()[0], SkipReason.MISSING_FILE, "image file not found: " + image);
        continue;
      }
      boolean positive = e.getValue()[1] == 1;
      samples.add(new Sample(image, Captions.chestXray(positive ? CLASSES : List.of()),
          new float[] {positive ? 1f : 0f}, e.getValue()[0]));
    }
    return new LoadedDataset("rsna", CLASSES, samples, skips);
  }
}
