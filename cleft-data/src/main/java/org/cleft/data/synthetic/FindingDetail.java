package org.cleft.data.synthetic;

/**
 * How one finding was drawn, in the terms a radiology report uses.
 *
 * @param side where it is, from the patient's point of view (the image's left lung is the patient's right)
 * @param extent how marked it is within the generator's range, 0 (the least it draws) to 1 (the most): the effusion's
 *     height, the heart's width; 0.5 for findings drawn at one size
 * @param height how low in the lung it lies, 0 (apex) to 1 (base)
 */
public record FindingDetail(Side side, double extent, double height) {

  /** The side of a finding. */
  public enum Side {
    /** The patient's right lung (the image's left). */
    RIGHT,
    /** The patient's left lung (the image's right). */
    LEFT,
    /** Both lungs. */
    BILATERAL,
    /** The mediastinum (the heart). */
    CENTRAL
  }

  /**
   * Validates the ranges.
   *
   * @param side see the record description
   * @param extent see the record description
   * @param height see the record description
   */
  public FindingDetail {
    if (side == null || !(extent >= 0 && extent <= 1) || !(height >= 0 && height <= 1)) {
      throw new IllegalArgumentException("a finding needs a side and extent and height in [0, 1], got " + side + ", "
          + extent + ", " + height);
    }
  }
}
