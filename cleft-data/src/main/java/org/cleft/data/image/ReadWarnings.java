package org.cleft.data.image;

import java.util.List;
import java.util.Locale;

/**
 * Which of the JDK image readers' warnings mean damaged data. A truncated JPEG is only a warning to the JDK's
 * reader, which fills the missing part with grey; cleft refuses it. Other warnings (extraneous bytes before a
 * marker, an invalid embedded colour profile that is ignored) leave the pixels as OpenCV decodes them and are
 * not errors.
 */
public final class ReadWarnings {
  private ReadWarnings() {}

  /**
   * {@return the warnings that mean the image data is cut short or corrupt, in order}
   *
   * @param warnings the reader's warnings
   */
  public static List<String> damage(List<String> warnings) {
    return warnings.stream().filter(ReadWarnings::isDamage).toList();
  }

  private static boolean isDamage(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("truncated") || w.contains("missing eoi");
  }
}
