package org.cleft.data.dataset;

import java.util.List;
import org.cleft.api.CaptionStyle;

/** Captions built the way the reference CLEFT code builds them from labels ({@link CaptionStyle#defaults()}). */
public final class Captions {
  /** The prefix of every chest X-ray caption, also the context prompt's initial words. */
  public static final String CHEST_XRAY_PREFIX = "this is a chest x ray of a patient with ";

  private Captions() {
  }

  /**
   * {@code "this is a chest x ray of a patient with "} + the positive findings, lower-cased and joined
   * by spaces ({@code "pleural effusion consolidation"}); {@code "no finding"} when there are none.
   *
   * @param positives the names of the positive classes, in class order
   * @return the caption
   */
  public static String chestXray(List<String> positives) {
    return CaptionStyle.defaults().caption(positives);
  }
}
