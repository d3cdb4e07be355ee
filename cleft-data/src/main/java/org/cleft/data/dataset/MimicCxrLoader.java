package org.cleft.data.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestFormatException;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.Sample;
import org.cleft.data.manifest.SkipReason;
import org.cleft.data.manifest.SkipReport;

/**
 * Loads a MIMIC-CXR-style tree: images {@code pXX/pXXXXXXXX/sXXXXXXXX/*.jpg} (or .png) with the study's
 * report in {@code pXX/pXXXXXXXX/sXXXXXXXX.txt}, looked up first beside the study folder, then in the
 * same relative place under a separate reports root (MIMIC-CXR-JPG ships reports separately). The text
 * is the FINDINGS and IMPRESSION sections when present, else the whole report. No labels. Row numbers
 * are 1-based positions in the sorted list of images.
 */
public final class MimicCxrLoader {
  private static final Pattern STUDY = Pattern.compile("s\\d+");

  private final RowPolicy policy;

  /**
   * A loader.
   *
   * @param policy FAIL_FAST or SKIP for images without a usable report
   */
  public MimicCxrLoader(RowPolicy policy) {
    this.policy = policy;
  }

  /**
   * Loads every image under {@code imagesRoot}.
   *
   * @param imagesRoot the folder holding the {@code pXX} folders
   * @param reportsRoot the folder with the same layout holding the reports; may equal imagesRoot
   * @return samples in sorted path order
   */
  public LoadedDataset load(Path imagesRoot, Path reportsRoot) {
    if (!Files.isDirectory(imagesRoot)) {
      throw new ManifestFormatException(imagesRoot, "not a folder");
    }
    List<Path> images;
    try (Stream<Path> walk = Files.walk(imagesRoot)) {
      images = walk.filter(Files::isRegularFile).filter(MimicCxrLoader::isImage)
          .filter(p -> STUDY.matcher(p.getParent().getFileName().toString()).matches()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + imagesRoot + ": " + e.getMessage(), e);
    }
    SkipReport skips = new SkipReport(imagesRoot, policy);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Path image = images.get(i);
      Path study = image.getParent();
      Path rel = imagesRoot.relativize(study.getParent()).resolve(study.getFileName() + ".txt");
      Path report = study.resolveSibling(study.getFileName() + ".txt");
      if (!Files.isRegularFile(report)) {
        report = reportsRoot.resolve(rel);
      }
      if (!Files.isRegularFile(report)) {
        skips.reject(i + 1, SkipReason.MISSING_FILE, "no report " + rel + " for " + image);
        continue;
      }
      String text = ReportSections.findingsAndImpression(read(report));
      if (text.isEmpty()) {
        skips.reject(i + 1, SkipReason.EMPTY_REPORT, "report " + report + " is empty");
        continue;
      }
      samples.add(new Sample(image, text, new float[0], i + 1));
    }
    return new LoadedDataset("mimic", List.of(), samples, skips);
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".dcm");
  }

  private static String read(Path report) {
    try {
      return Files.readString(report, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read report " + report + ": " + e.getMessage(), e);
    }
  }
}
