package org.cleft.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What {@code cleft classify} prints: per image, every class with its probability, most probable
 * first (table) or in class order (JSON).
 *
 * @param backend the backend that ran the model
 * @param model the checkpoint directory
 * @param classNames the classes, in column order
 * @param source {@code captions} or {@code prompt-tuned}
 * @param images the image files, in row order
 * @param probabilities one row of class probabilities per image
 * @param skipped the files that could not be decoded, with the reason
 */
record ClassifyReport(String backend, Path model, List<String> classNames, String source, List<Path> images,
    List<float[]> probabilities, Map<Path, String> skipped) {

  /** A table: a header line per image, then one line per class, most probable first. */
  String table() {
    int width = classNames.stream().mapToInt(String::length).max().orElse(5);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < images.size(); i++) {
      float[] p = probabilities.get(i);
      List<Integer> order = IntStream.range(0, p.length).boxed()
          .sorted(Comparator.comparingDouble((Integer j) -> p[j]).reversed()).toList();
      out.append(images.get(i)).append("  predicted: ").append(classNames.get(order.get(0))).append('\n');
      for (int j : order) {
        out.append(String.format(Locale.ROOT, "  %-" + width + "s  %.4f%n", classNames.get(j), p[j]));
      }
    }
    return out.toString();
  }

  /** One JSON document: backend, model, class source, classes, and per image its prediction and probabilities. */
  String json() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("backend", backend);
    doc.put("model", model.toString());
    doc.put("classes_from", source);
    doc.put("classes", classNames);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      float[] p = probabilities.get(i);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("image", images.get(i).toString());
      int best = 0;
      Map<String, Double> probs = new LinkedHashMap<>();
      for (int j = 0; j < p.length; j++) {
        probs.put(classNames.get(j), (double) p[j]);
        best = p[j] > p[best] ? j : best;
      }
      row.put("predicted", classNames.get(best));
      row.put("probabilities", probs);
      rows.add(row);
    }
    doc.put("results", rows);
    List<Map<String, String>> bad = new ArrayList<>();
    skipped.forEach((image, reason) -> bad.add(Map.of("image", image.toString(), "error", reason)));
    doc.put("skipped", bad);
    try {
      return ReportJson.MAPPER.writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON report: " + e.getMessage(), e);
    }
  }
}
