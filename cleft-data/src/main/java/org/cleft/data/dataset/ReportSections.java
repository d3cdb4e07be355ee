package org.cleft.data.dataset;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Extracts the FINDINGS and IMPRESSION sections of a free-text radiology report (MIMIC-CXR style). */
public final class ReportSections {
  private static final Pattern HEADER = Pattern.compile("(?m)^\\s*([A-Z][A-Z /&]+):");

  private ReportSections() {
  }

  /**
   * FINDINGS followed by IMPRESSION when either is present, otherwise the whole report; whitespace is
   * collapsed to single spaces.
   *
   * @param report the report text
   * @return the text to pair with the image
   */
  public static String findingsAndImpression(String report) {
    String findings = section(report, "FINDINGS");
    String impression = section(report, "IMPRESSION");
    String text = findings.isEmpty() && impression.isEmpty() ? report : (findings + " " + impression);
    return text.replaceAll("\\s+", " ").trim();
  }

  /** The body of one section: from after its header to the next header or the end. */
  private static String section(String report, String name) {
    Matcher m = HEADER.matcher(report);
    int start = -1;
    while (m.find()) {
      if (start >= 0) {
        return report.substring(start, m.start()).trim();
      }
      if (m.group(1).trim().toUpperCase(Locale.ROOT).equals(name)) {
        start = m.end();
      }
    }
    return start >= 0 ? report.substring(start).trim() : "";
  }
}
