package org.cleft.data.synthetic;

import java.util.Map;
import java.util.Set;
import org.cleft.data.image.UInt8Image;

/**
 * One generated image with what was drawn in it.
 *
 * @param image the grey image
 * @param findings the findings drawn (empty: no finding)
 * @param heartHalfWidth the heart shadow's half width as drawn, as a fraction of the image width
 * @param effusionRight for an effusion, whether it is in the image's right-hand lung (patient's left)
 * @param details for each finding drawn, its side and extent as drawn (what a report on the image says)
 */
public record SyntheticCase(UInt8Image image, Set<Finding> findings, double heartHalfWidth, boolean effusionRight,
    Map<Finding, FindingDetail> details) {

  /**
   * Copies the findings.
   *
   * @param image see the record description
   * @param findings see the record description
   * @param heartHalfWidth see the record description
   * @param effusionRight see the record description
   * @param details see the record description
   */
  public SyntheticCase {
    findings = Set.copyOf(findings);
    details = Map.copyOf(details);
    if (!details.keySet().equals(findings)) {
      throw new IllegalArgumentException("details must describe exactly the findings " + findings + ", got "
          + details.keySet());
    }
  }
}
