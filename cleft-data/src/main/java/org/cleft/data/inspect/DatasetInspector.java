package org.cleft.data.inspect;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cleft.data.dataset.ChexpertLoader;
import org.cleft.data.dataset.EmbedLoader;
import org.cleft.data.dataset.EmbedTask;
import org.cleft.data.dataset.MimicCxrLoader;
import org.cleft.data.dataset.RsnaPneumoniaLoader;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestLoader;
import org.cleft.data.manifest.ManifestSpec;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.Sample;
import org.cleft.data.manifest.SkippedRow;
import org.cleft.data.synthetic.SyntheticChestXrays;

/**
 * {@code cleft data inspect}: loads a data set ({@code --dataset chexpert|rsna|embed|mimic --root DIR})
 * or a manifest ({@code --manifest FILE}), prints the usable sample count, the count per class and every
 * skipped row with its reason (a summary beyond {@value #MAX_LISTED}), and writes the first few images,
 * decoded, as PNG to {@code --out DIR}. Exit code 0 when the data set loads (skips included), 1 when it
 * cannot (one line on the error stream), 2 for bad arguments.
 */
public final class DatasetInspector {
  /** The most skipped rows listed one by one. */
  public static final int MAX_LISTED = 20;

  private static final String USAGE = "usage: cleft data inspect (--dataset chexpert|rsna|embed|mimic --root DIR"
      + " | --manifest FILE [--image-field path] [--text-field report] [--labels A,B]) [--out DIR] [--samples 4]"
      + " [--split train|valid] [--task birads|density] [--path-prefix PREFIX] [--reports DIR]";

  /**
   * Runs the inspection.
   *
   * @param args the command-line arguments
   * @param out where the report goes
   * @param err where errors go
   * @return 0 on success, 1 when the data cannot be loaded, 2 for bad arguments
   */
  public int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> opts = new HashMap<>();
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.println(USAGE);
      return 0;
    }
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        err.println("cleft data inspect: bad argument '" + args[i] + "'. " + USAGE);
        return 2;
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    if (opts.containsKey("dataset") == opts.containsKey("manifest")
        || (opts.containsKey("dataset") && !opts.containsKey("root"))) {
      err.println("cleft data inspect: give either --dataset with --root, or --manifest. " + USAGE);
      return 2;
    }
    LoadedDataset ds;
    try {
      ds = load(opts);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("cleft data inspect: cannot load: " + e.getMessage());
      return 1;
    }
    report(ds, out);
    if (opts.containsKey("out")) {
      int samples;
      try {
        samples = Integer.parseInt(opts.getOrDefault("samples", "4"));
      } catch (NumberFormatException e) {
        err.println("cleft data inspect: --samples must be a whole number, got '" + opts.get("samples") + "'");
        return 2;
      }
      return writeSamples(ds, Path.of(opts.get("out")), samples, out, err);
    }
    return 0;
  }

  private static LoadedDataset load(Map<String, String> o) {
    if (o.containsKey("manifest")) {
      List<String> labels = o.containsKey("labels") ? Arrays.asList(o.get("labels").split(",")) : List.of();
      ManifestSpec spec = ManifestSpec.of(o.getOrDefault("image-field", "path"), o.getOrDefault("text-field", "report"),
          labels.toArray(String[]::new));
      return new ManifestLoader(spec, new ImageFiles()).load(Path.of(o.get("manifest")));
    }
    Path root = Path.of(o.get("root"));
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("--root " + root + " is not a folder");
    }
    switch (o.get("dataset").toLowerCase(Locale.ROOT)) {
      case "chexpert":
        return ChexpertLoader.fiveClass().load(root.resolve(o.getOrDefault("split", "train") + ".csv"));
      case "rsna":
        return new RsnaPneumoniaLoader(RowPolicy.SKIP).load(root.resolve("stage_2_train_labels.csv"),
            root.resolve("stage_2_train_images"));
      case "embed":
        EmbedTask task = EmbedTask.valueOf(o.getOrDefault("task", "birads").toUpperCase(Locale.ROOT));
        return new EmbedLoader(task, RowPolicy.SKIP, o.getOrDefault("path-prefix", "")).load(
            root.resolve("EMBED_OpenData_metadata.csv"), root.resolve("EMBED_OpenData_clinical.csv"), root);
      case "mimic":
        Path files = Files.isDirectory(root.resolve("files")) ? root.resolve("files") : root;
        return new MimicCxrLoader(RowPolicy.SKIP).load(files, Path.of(o.getOrDefault("reports", files.toString())));
      default:
        throw new IllegalArgumentException("unknown --dataset '" + o.get("dataset") + "' (chexpert, rsna, embed, mimic)");
    }
  }

  private static void report(LoadedDataset ds, PrintStream out) {
    out.println("dataset: " + ds.name() + " (" + ds.skips().source() + ")");
    out.println("usable samples: " + ds.samples().size());
    int[] positives = ds.positivesPerClass();
    for (int i = 0; i < positives.length; i++) {
      out.println("  " + ds.classNames().get(i) + ": " + positives[i]);
    }
    ds.skips().excluded().forEach((why, n) -> out.println("excluded (" + why + "): " + n));
    out.println("skipped rows: " + ds.skips().count());
    if (ds.skips().count() > MAX_LISTED) {
      ds.skips().countsByKind().forEach((kind, n) -> out.println("  " + kind + ": " + n));
      out.println("first " + MAX_LISTED + ":");
    }
    for (SkippedRow r : ds.skips().rows().subList(0, Math.min(MAX_LISTED, ds.skips().count()))) {
      out.println("  " + r);
    }
  }

  private static int writeSamples(LoadedDataset ds, Path dir, int count, PrintStream out, PrintStream err) {
    ImageFiles decoder = new ImageFiles();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      err.println("cleft data inspect: cannot create --out " + dir + ": " + e.getMessage());
      return 1;
    }
    int written = 0;
    for (Sample s : ds.samples().subList(0, Math.min(count, ds.samples().size()))) {
      Path png = dir.resolve(String.format(Locale.ROOT, "sample-%03d.png", ++written));
      try {
        SyntheticChestXrays.writePng(decoder.apply(s.image()), png);
        out.println("wrote " + png + " (row " + s.row() + ": " + s.image().getFileName() + ")");
      } catch (IOException | RuntimeException e) {
        out.println("could not decode row " + s.row() + " (" + s.image() + "): " + e.getMessage());
      }
    }
    return 0;
  }

  /**
   * Command-line entry point; exits with {@link #run}'s code.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) {
    System.exit(new DatasetInspector().run(args, System.out, System.err));
  }
}
