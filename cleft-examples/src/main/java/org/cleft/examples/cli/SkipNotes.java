package org.cleft.examples.cli;

import java.io.PrintStream;
import java.util.List;
import org.cleft.data.loader.BadSamplePolicy;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.SkippedRow;
import picocli.CommandLine.ITypeConverter;

/** What the training and evaluation commands say about rows and images they leave out. */
final class SkipNotes {
  /** Rows or images listed one by one before the summary line. */
  static final int LISTED = 10;

  private SkipNotes() {}

  /** The manifest rows a data set skipped (first {@value #LISTED} and the total), before work starts. */
  static void rows(PrintStream out, String what, LoadedDataset data) {
    List<SkippedRow> rows = data.skips().rows();
    if (rows.isEmpty()) {
      return;
    }
    out.printf("skipped  %d row(s) of %s (%s):%n", rows.size(), what, data.skips().source());
    rows.stream().limit(LISTED).forEach(r -> out.println("  " + r));
    if (rows.size() > LISTED) {
      out.println("  ... and " + (rows.size() - LISTED) + " more ('cleft data inspect' lists them all)");
    }
  }

  /** The images a loader left out because they did not decode. */
  static void images(PrintStream out, String what, BatchLoader loader) {
    if (loader == null || loader.skippedSamples().count() == 0) {
      return;
    }
    List<String> samples = loader.skippedSamples().samples();
    out.printf("skipped  %d undecodable image(s) of %s, %d time(s) in all:%n", samples.size(), what,
        loader.skippedSamples().count());
    samples.stream().limit(LISTED).forEach(s -> out.println("  " + s));
    if (samples.size() > LISTED) {
      out.println("  ... and " + (samples.size() - LISTED) + " more");
    }
  }

  /** picocli converter for {@code --bad-samples skip|stop}. */
  static final class PolicyConverter implements ITypeConverter<BadSamplePolicy> {
    @Override
    public BadSamplePolicy convert(String value) {
      return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "skip" -> BadSamplePolicy.SKIP;
        case "stop" -> BadSamplePolicy.STOP;
        default -> throw new picocli.CommandLine.TypeConversionException("expected skip or stop, got '" + value + "'");
      };
    }
  }
}
