package org.cleft.data.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Loads a manifest (CSV, or JSON Lines for {@code .jsonl}/{@code .ndjson}) into samples, validating each
 * row: the image must exist (and decode, when a decoder is given), the report must not be blank, and
 * every label must be valid under the spec's {@link UncertainPolicy}.
 */
public final class ManifestLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManifestSpec spec;
  private final Optional<Function<Path, ?>> decoder;

  /**
   * A loader that checks that image files exist but does not decode them.
   *
   * @param spec the fields and policies
   */
  public ManifestLoader(ManifestSpec spec) {
    this(spec, null);
  }

  /**
   * A loader that also decodes every image to prove it readable (slower: reads every file).
   *
   * @param spec the fields and policies
   * @param decoder reads an image, throwing any runtime exception when it cannot; null to skip decoding
   */
  public ManifestLoader(ManifestSpec spec, Function<Path, ?> decoder) {
    this.spec = spec;
    this.decoder = Optional.ofNullable(decoder);
  }

  /**
   * Loads a manifest.
   *
   * @param manifest the CSV or JSONL file; relative image paths resolve against its folder
   * @return the samples and the skip report, class names being the label fields
   * @throws ManifestFormatException when the file is missing, or a CSV lacks a configured column
   * @throws RowRejectedException at the first bad row under {@link RowPolicy#FAIL_FAST}
   */
  public LoadedDataset load(Path manifest) {
    SkipReport skips = new SkipReport(manifest, spec.policy());
    List<Sample> samples = new ArrayList<>();
    Path base = manifest.toAbsolutePath().getParent();
    Consumer<Row> handle = row -> toSample(row, base, skips).ifPresent(samples::add);
    if (isJsonLines(manifest)) {
      jsonRows(manifest, skips, handle);
    } else {
      csvRows(manifest, skips, handle);
    }
    return new LoadedDataset(manifest.getFileName().toString(), spec.labelFields(), samples, skips);
  }

  private static boolean isJsonLines(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jsonl") || n.endsWith(".ndjson");
  }

  /** One row's fields, by name; null when the field is absent. */
  private interface Row {
    int line();

    String get(String field);
  }

  /** Hands each well-formed row to {@code handle} and rejects malformed ones, in file order. */
  private void csvRows(Path manifest, SkipReport skips, Consumer<Row> handle) {
    CsvTable table = CsvTable.read(manifest);
    table.requireColumn(spec.imageField());
    table.requireColumn(spec.textField());
    spec.labelFields().forEach(table::requireColumn);
    for (CsvTable.Record r : table.records()) {
      if (r.fields().size() != table.header().size()) {
        skips.reject(r.line(), SkipReason.MALFORMED_ROW, "has " + r.fields().size() + " fields, the header has "
            + table.header().size());
        continue;
      }
      handle.accept(new Row() {
        @Override
        public int line() {
          return r.line();
        }

        @Override
        public String get(String field) {
          return table.column(field).map(i -> r.fields().get(i)).orElse(null);
        }
      });
    }
  }

  private void jsonRows(Path manifest, SkipReport skips, Consumer<Row> handle) {
    List<String> lines = ManifestText.read(manifest).lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      int line = i + 1;
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        skips.reject(line, SkipReason.MALFORMED_ROW, "invalid JSON: " + e.getOriginalMessage());
        continue;
      }
      if (!node.isObject()) {
        skips.reject(line, SkipReason.MALFORMED_ROW, "not a JSON object");
        continue;
      }
      handle.accept(new Row() {
        @Override
        public int line() {
          return line;
        }

        @Override
        public String get(String field) {
          JsonNode v = node.get(field);
          return v == null || v.isNull() ? null : v.asText();
        }
      });
    }
  }

  private Optional<Sample> toSample(Row row, Path base, SkipReport skips) {
    String imageCell = row.get(spec.imageField());
    if (imageCell == null || imageCell.isBlank()) {
      skips.reject(row.line(), SkipReason.MALFORMED_ROW, "field '" + spec.imageField() + "' is blank");
      return Optional.empty();
    }
    Path image = base.resolve(imageCell.trim()).normalize();
    if (!Files.isRegularFile(image)) {
      skips.reject(row.line(), SkipReason.MISSING_FILE, "image file not found: " + image);
      return Optional.empty();
    }
    String text = row.get(spec.textField());
    if (text == null || text.isBlank()) {
      skips.reject(row.line(), SkipReason.EMPTY_REPORT, "field '" + spec.textField() + "' is empty");
      return Optional.empty();
    }
    float[] labels = new float[spec.labelFields().size()];
    for (int i = 0; i < labels.length; i++) {
      String field = spec.labelFields().get(i);
      try {
        labels[i] = spec.uncertain().parse(row.get(field));
      } catch (IllegalArgumentException e) {
        skips.reject(row.line(), SkipReason.INVALID_LABEL, "label '" + field + "': " + e.getMessage());
        return Optional.empty();
      }
    }
    if (decoder.isPresent()) {
      try {
        decoder.get().apply(image);
      } catch (RuntimeException e) {
        skips.reject(row.line(), SkipReason.UNREADABLE_IMAGE, "cannot decode " + image + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    return Optional.of(new Sample(image, text.trim(), labels, row.line()));
  }
}
