package org.cleft.data.inspect;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cleft.data.dataset.ChexpertLoader;
import org.cleft.data.dataset.EmbedLoader;
import org.cleft.data.dataset.EmbedTask;
import org.cleft.data.dataset.MimicCxrLoader;
import org.cleft.data.dataset.RsnaPneumoniaLoader;
import org.cleft.data.files.ImageFiles;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestLoader;
import org.cleft.data.manifest.ManifestSpec;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.Sample;
import org.cleft.data.manifest.SkipReason;
import org.cleft.data.manifest.SkippedRow;
import org.cleft.data.synthetic.SyntheticChestXrays;

/**
 * {@code cleft data inspect}: loads a data set ({@code --dataset chexpert|rsna|embed|mimic --root DIR})
 * or a manifest ({@code --manifest FILE}), decodes every referenced image the way training does (a progress
 * line on the error stream; {@code --quick} skips decoding), and prints the usable sample count, the count per
 * class, every skipped row and every image that does not decode with its reason (a summary beyond
 * {@value #MAX_LISTED}), and the rows that repeat an earlier row's image. With {@code --out DIR} it writes the
 * first few images, decoded as the model sees them, as PNG. Exit code 0 when every row is usable, 1 when a row
 * is unusable, none is usable or the data cannot be loaded (one line on the error stream), 2 for bad arguments.
 */
public final class DatasetInspector {
  /** The most skipped rows listed one by one. */
  public static final int MAX_LISTED = 20;

  private static final String USAGE = "usage: cleft data inspect (--dataset chexpert|rsna|embed|mimic --root DIR"
      + " | --manifest FILE [--image-field path] [--text-field report] [--labels A,B]) [--quick] [--threads N] [--out DIR]"
      + " [--samples 4] [--split train|valid] [--task birads|density] [--path-prefix PREFIX] [--reports DIR]";

  /**
   * Runs the inspection.
   *
   * @param args the command-line arguments
   * @param out where the report goes
   * @param err where errors and the decoding progress go
   * @return 0 when every row is usable, 1 when a row is not, none is, or the data cannot be loaded, 2 for bad
   *     arguments
   */
  public int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> opts = new HashMap<>();
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.println(USAGE);
      return 0;
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--quick")) {
        opts.put("quick", "true");
        continue;
      }
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
    int samples;
    try {
      samples = Integer.parseInt(opts.getOrDefault("samples", "4"));
    } catch (NumberFormatException e) {
      err.println("cleft data inspect: --samples must be a whole number, got '" + opts.get("samples") + "'");
      return 2;
    }
    LoadedDataset ds;
    try {
      ds = load(opts);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("cleft data inspect: cannot load: " + e.getMessage());
      return 1;
    }
    boolean quick = opts.containsKey("quick");
    int threads;
    try {
      threads = Integer.parseInt(opts.getOrDefault("threads", Integer.toString(
          Math.max(1, Runtime.getRuntime().availableProcessors()))));
    } catch (NumberFormatException e) {
      threads = 0;
    }
    if (threads <= 0) {
      err.println("cleft data inspect: --threads must be a positive whole number, got '" + opts.get("threads") + "'");
      return 2;
    }
    List<SkippedRow> broken = quick ? List.of() : decodeAll(ds.samples(), threads, err);
    Set<Integer> brokenRows = new HashSet<>();
    broken.forEach(b -> brokenRows.add(b.row()));
    List<Sample> usable = ds.samples().stream().filter(x -> !brokenRows.contains(x.row())).toList();
    report(ds, usable, broken, quick, out);
    duplicates(ds.samples(), out);
    int code = ds.skips().count() > 0 || !broken.isEmpty() || usable.isEmpty() ? 1 : 0;
    if (opts.containsKey("out")) {
      code = Math.max(code, writeSamples(usable, Path.of(opts.get("out")), samples, out, err));
    }
    if (code != 0) {
      err.println("cleft data inspect: " + (usable.isEmpty() ? "no usable sample" : (ds.skips().count()
          + broken.size()) + " unusable row(s)") + " in " + ds.skips().source());
    }
    return code;
  }
  private static LoadedDataset load(Map<String, String> o) {
    if (o.containsKey("manifest")) {
      List<String> labels = o.containsKey("labels") ? Arrays.asList(o.get("labels").split(",")) : List.of();
      ManifestSpec spec = ManifestSpec.of(o.getOrDefault("image-field", "path"), o.getOrDefault("text-field", "report"),
          labels.toArray(String[]::new));
      return new ManifestLoader(spec).load(Path.of(o.get("manifest")));
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

  /**
   * Decodes every sample's image on {@code threads} threads (progress on {@code err}); returns the ones that do not
   * decode, in row order.
   */
  private static List<SkippedRow> decodeAll(List<Sample> samples, int threads, PrintStream err) {
    ImageFiles decoder = new ImageFiles();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "cleft-inspect");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<SkippedRow>> results = new ArrayList<>();
      for (Sample s : samples) {
        results.add(pool.submit(() -> {
          try {
            decoder.apply(s.image());
            return null;
          } catch (RuntimeException e) {
            return new SkippedRow(s.row(), SkipReason.UNREADABLE_IMAGE, s.image() + ": " + e.getMessage());
          }
        }));
      }
      List<SkippedRow> broken = new ArrayList<>();
      int every = Math.max(1, samples.size() / 10);
      for (int i = 0; i < results.size(); i++) {
        SkippedRow r = results.get(i).get();
        if (r != null) {
          broken.add(r);
        }
        if ((i + 1) % every == 0 || i + 1 == samples.size()) {
          err.printf(Locale.ROOT, "decoding images %s %d/%d%n", bar(i + 1, samples.size()), i + 1, samples.size());
        }
      }
      return broken;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding the images", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("decoding failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static String bar(int done, int total) {
    int width = 20;
    int filled = total == 0 ? width : (int) ((long) done * width / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }

  private static void report(LoadedDataset ds, List<Sample> usable, List<SkippedRow> broken, boolean quick,
      PrintStream out) {
    out.println("dataset: " + ds.name() + " (" + ds.skips().source() + ")");
    out.println("usable samples: " + usable.size() + (quick ? " (images not decoded: --quick)" : ""));
    int[] positives = new int[ds.classNames().size()];
    for (Sample s : usable) {
      for (int i = 0; i < positives.length && i < s.labels().length; i++) {
        positives[i] += s.labels()[i] == 1f ? 1 : 0;
      }
    }
    for (int i = 0; i < positives.length; i++) {
      out.println("  " + ds.classNames().get(i) + ": " + positives[i]);
    }
    ds.skips().excluded().forEach((why, n) -> out.println("excluded (" + why + "): " + n));
    List<SkippedRow> all = new ArrayList<>(ds.skips().rows());
    all.addAll(broken);
    all.sort(java.util.Comparator.comparingInt(SkippedRow::row));
    out.println("skipped rows: " + all.size());
    if (all.size() > MAX_LISTED) {
      Map<SkipReason, Integer> byKind = new java.util.TreeMap<>();
      all.forEach(r -> byKind.merge(r.kind(), 1, Integer::sum));
      byKind.forEach((kind, n) -> out.println("  " + kind + ": " + n));
      out.println("first " + MAX_LISTED + ":");
    }
    for (SkippedRow r : all.subList(0, Math.min(MAX_LISTED, all.size()))) {
      out.println("  " + r);
    }
  }

  /** Rows whose image is an earlier row's (same file after normalising the path). */
  private static void duplicates(List<Sample> samples, PrintStream out) {
    Map<Path, Integer> first = new HashMap<>();
    List<String> repeats = new ArrayList<>();
    for (Sample s : samples) {
      Integer earlier = first.putIfAbsent(s.image().toAbsolutePath().normalize(), s.row());
      if (earlier != null) {
        repeats.add("row " + s.row() + ": same image as row " + earlier + ": " + s.image());
      }
    }
    out.println("duplicate images: " + repeats.size());
    repeats.stream().limit(MAX_LISTED).forEach(r -> out.println("  " + r));
    if (repeats.size() > MAX_LISTED) {
      out.println("  ... and " + (repeats.size() - MAX_LISTED) + " more");
    }
  }

  private static int writeSamples(List<Sample> usable, Path dir, int count, PrintStream out, PrintStream err) {
    ImageFiles decoder = new ImageFiles();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      err.println("cleft data inspect: cannot create --out " + dir + ": " + e.getMessage());
      return 1;
    }
    int written = 0;
    for (Sample s : usable.subList(0, Math.min(count, usable.size()))) {
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
