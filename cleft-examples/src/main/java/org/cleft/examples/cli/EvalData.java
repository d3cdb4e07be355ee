package org.cleft.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cleft.data.dataset.ChexpertClasses;
import org.cleft.data.dataset.ChexpertLoader;
import org.cleft.data.dataset.EmbedLoader;
import org.cleft.data.dataset.EmbedTask;
import org.cleft.data.dataset.RsnaPneumoniaLoader;
import org.cleft.data.loader.ImageSource;
import org.cleft.data.loader.Sample;
import org.cleft.data.loader.SampleSource;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestLoader;
import org.cleft.data.manifest.ManifestSpec;
import org.cleft.data.manifest.RowPolicy;

/**
 * A labelled evaluation set for {@code cleft eval}: loaded by one of cleft-data's loaders, its labels
 * multi-hot over {@link #classNames()}, its images ready for a {@link org.cleft.data.loader.BatchLoader}.
 *
 * @param description what was loaded, for the report (kind and path)
 * @param classNames the class of each label column (also the names put into prompts)
 * @param dataset the loaded samples and skip report
 */
record EvalData(String description, List<String> classNames, LoadedDataset dataset) {
  /** The kinds of {@code --dataset}. */
  static final List<String> KINDS = List.of("chexpert", "rsna", "embed");
  /** EMBED's metadata table inside {@code --data}. */
  static final String EMBED_METADATA = "EMBED_OpenData_metadata.csv";
  /** EMBED's clinical table inside {@code --data}. */
  static final String EMBED_CLINICAL = "EMBED_OpenData_clinical.csv";
  /** The two classes of RSNA pneumonia zero-shot classification. */
  static final List<String> RSNA_CLASSES = List.of("No Finding", "Pneumonia");

  /** What to load: a manifest, or a named data set at a path. */
  record Request(String kind, Path path, List<String> classes, String imageColumn, String textColumn,
      EmbedTask embedTask, String embedPathPrefix) {}

  /** Loads the data set a request names, failing with a one-line hint when it cannot. */
  static EvalData load(Request r) {
    requireExists(r.path(), r.kind());
    try {
      return switch (r.kind()) {
        case "manifest" -> manifest(r);
        case "chexpert" -> chexpert(r);
        case "rsna" -> rsna(r);
        case "embed" -> embed(r);
        default -> throw new IllegalStateException("unknown data kind " + r.kind());
      };
    } catch (IllegalArgumentException e) { // the loaders' format and row errors name the file and row
      throw new CliFailure(e.getMessage(), hint(r.kind()), e);
    }
  }

  private static EvalData manifest(Request r) {
    List<String> columns = r.classes().isEmpty() ? ChexpertClasses.FIVE : r.classes();
    ManifestSpec spec = new ManifestSpec(r.imageColumn(), r.textColumn(), columns,
        org.cleft.data.manifest.UncertainPolicy.ZEROS, RowPolicy.SKIP);
    LoadedDataset d = new ManifestLoader(spec).load(r.path());
    return new EvalData("manifest " + r.path(), columns, d);
  }

  private static EvalData chexpert(Request r) {
    Path csv = Files.isDirectory(r.path()) ? r.path().resolve("valid.csv") : r.path();
    requireExists(csv, r.kind());
    ChexpertLoader loader = ChexpertLoader.fiveClass();
    if (!r.classes().isEmpty()) {
      loader = loader.withClasses(r.classes());
    }
    LoadedDataset d = loader.load(csv);
    return new EvalData("chexpert " + csv, d.classNames(), d);
  }

  private static EvalData rsna(Request r) {
    Path csv = r.path().resolve("stage_2_train_labels.csv");
    requireExists(csv, r.kind());
    LoadedDataset single = new RsnaPneumoniaLoader(RowPolicy.SKIP).load(csv, r.path().resolve("stage_2_train_images"));
    List<org.cleft.data.manifest.Sample> two = new ArrayList<>();
    for (org.cleft.data.manifest.Sample s : single.samples()) { // [p] -> [1 - p, p]: negatives get a class too
      float p = s.labels()[0];
      two.add(new org.cleft.data.manifest.Sample(s.image(), s.text(), new float[] {1 - p, p}, s.row()));
    }
    List<String> names = renamed(RSNA_CLASSES, r.classes());
    return new EvalData("rsna " + r.path(), names, new LoadedDataset("rsna", names, two, single.skips()));
  }

  private static EvalData embed(Request r) {
    Path meta = r.path().resolve(EMBED_METADATA);
    Path clinical = r.path().resolve(EMBED_CLINICAL);
    requireExists(meta, r.kind());
    requireExists(clinical, r.kind());
    LoadedDataset d = new EmbedLoader(r.embedTask(), RowPolicy.SKIP, r.embedPathPrefix()).load(meta, clinical, r.path());
    List<String> names = renamed(d.classNames(), r.classes());
    return new EvalData("embed " + r.embedTask().name().toLowerCase(Locale.ROOT) + " " + r.path(), names,
        new LoadedDataset(d.name(), names, d.samples(), d.skips()));
  }

  /** {@code --classes} for RSNA and EMBED renames the fixed classes; the count must match. */
  private static List<String> renamed(List<String> defaults, List<String> names) {
    if (names.isEmpty()) {
      return defaults;
    }
    if (names.size() != defaults.size()) {
      throw new CliFailure("--classes names " + names.size() + " classes but this data set has " + defaults.size()
          + " " + defaults, "pass one name per class, in that order, or leave --classes out");
    }
    return List.copyOf(names);
  }

  private static void requireExists(Path path, String kind) {
    if (!Files.exists(path)) {
      throw new CliFailure(path + ": not found", hint(kind));
    }
  }

  private static String hint(String kind) {
    return switch (kind) {
      case "manifest" -> "a manifest is a CSV (or JSONL) with an image path column (--image-column), a report column "
          + "(--text-column) and one 0/1 column per class (--classes); see docs/data.md";
      case "chexpert" -> "--data is a CheXpert-format CSV (Path, Frontal/Lateral, AP/PA, observations) or a folder "
          + "holding valid.csv; see docs/data.md";
      case "rsna" -> "--data is the RSNA folder holding stage_2_train_labels.csv and stage_2_train_images/";
      default -> "--data is the EMBED folder holding " + EMBED_METADATA + " and " + EMBED_CLINICAL
          + " with the images below it (see --embed-path-prefix)";
    };
  }

  /** Number of usable samples. */
  int size() {
    return dataset.samples().size();
  }

  /** The samples as the batch loader's source, each file decoded by its bytes (DICOM, PNG, JPEG, TIFF). */
  SampleSource samples() {
    List<Sample> out = new ArrayList<>();
    for (org.cleft.data.manifest.Sample s : dataset.samples()) {
      out.add(new Sample(ImageSource.file(s.image()), s.text(), s.labels()));
    }
    return SampleSource.of(out);
  }
}
