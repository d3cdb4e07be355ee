package org.cleft.data.manifest;

import java.util.List;

/**
 * Which fields of a manifest hold what, and how to treat labels and bad rows.
 *
 * @param imageField the column (CSV) or key (JSONL) holding the image path, relative to the manifest's
 *     folder unless absolute
 * @param textField the column or key holding the report text
 * @param labelFields the label columns or keys, in class order (may be empty)
 * @param uncertain what a {@code -1} label becomes
 * @param policy fail fast or skip bad rows
 */
public record ManifestSpec(String imageField, String textField, List<String> labelFields,
    UncertainPolicy uncertain, RowPolicy policy) {

  /**
   * Validates and copies.
   *
   * @param imageField see the record description
   * @param textField see the record description
   * @param labelFields see the record description
   * @param uncertain see the record description
   * @param policy see the record description
   */
  public ManifestSpec {
    if (imageField == null || imageField.isBlank() || textField == null || textField.isBlank()) {
      throw new IllegalArgumentException("ManifestSpec needs non-blank imageField and textField, got '"
          + imageField + "' and '" + textField + "'");
    }
    labelFields = List.copyOf(labelFields);
    if (uncertain == null || policy == null) {
      throw new IllegalArgumentException("ManifestSpec uncertain and policy must not be null");
    }
  }

  /**
   * A spec with default policies: uncertain labels as zeros, skip bad rows.
   *
   * @param imageField the image path field
   * @param textField the report field
   * @param labelFields the label fields
   * @return the spec
   */
  public static ManifestSpec of(String imageField, String textField, String... labelFields) {
    return new ManifestSpec(imageField, textField, List.of(labelFields), UncertainPolicy.ZEROS, RowPolicy.SKIP);
  }

  /**
   * A copy with another row policy.
   *
   * @param newPolicy FAIL_FAST or SKIP
   * @return the new spec
   */
  public ManifestSpec withPolicy(RowPolicy newPolicy) {
    return new ManifestSpec(imageField, textField, labelFields, uncertain, newPolicy);
  }

  /**
   * A copy with another uncertain-label policy.
   *
   * @param newUncertain the policy for {@code -1}
   * @return the new spec
   */
  public ManifestSpec withUncertain(UncertainPolicy newUncertain) {
    return new ManifestSpec(imageField, textField, labelFields, newUncertain, policy);
  }
}
