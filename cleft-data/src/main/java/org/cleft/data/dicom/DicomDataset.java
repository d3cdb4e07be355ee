package org.cleft.data.dicom;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The top-level data elements of a DICOM file and its pixel data: native bytes, or the fragments of encapsulated
 * (compressed) pixel data with the basic offset table. Sequences are skipped, except the items of the Modality LUT
 * Sequence (0028,3000) and the VOI LUT Sequence (0028,3010), read by {@link #items(DicomTag)}.
 */
public final class DicomDataset {
  private final Path file;
  private final TransferSyntax transferSyntax;
  private final Map<Integer, DicomElement> elements;
  private final Map<Integer, List<Map<Integer, DicomElement>>> items;
  private final List<byte[]> fragments;
  private final long[] frameOffsets;

  DicomDataset(Path file, TransferSyntax transferSyntax, Map<Integer, DicomElement> elements,
      Map<Integer, List<Map<Integer, DicomElement>>> items, List<byte[]> fragments, long[] frameOffsets) {
    this.file = file;
    this.transferSyntax = transferSyntax;
    this.elements = Collections.unmodifiableMap(elements);
    this.items = Map.copyOf(items);
    this.fragments = fragments == null ? null : List.copyOf(fragments);
    this.frameOffsets = frameOffsets;
  }

  /**
   * The file this dataset was read from.
   *
   * @return the path given to the reader
   */
  public Path file() {
    return file;
  }

  /**
   * The transfer syntax of the dataset.
   *
   * @return one of the supported syntaxes
   */
  public TransferSyntax transferSyntax() {
    return transferSyntax;
  }

  /**
   * Whether an element is present.
   *
   * @param tag the element
   * @return true when the file has it at top level
   */
  public boolean contains(DicomTag tag) {
    return elements.containsKey(tag.tag());
  }

  /**
   * The items of a kept sequence, each as a dataset of its own elements (its nested sequences skipped).
   *
   * @param sequence {@link DicomTag#MODALITY_LUT_SEQUENCE} or {@link DicomTag#VOI_LUT_SEQUENCE}
   * @return the items in file order; empty when the file has no such sequence
   * @throws IllegalArgumentException for a sequence the reader does not keep
   */
  public List<DicomDataset> items(DicomTag sequence) {
    if (!DicomParser.KEPT_SEQUENCES.contains(sequence.tag())) {
      throw new IllegalArgumentException("the reader keeps only the lookup-table sequences, not "
          + DicomTag.describe(sequence.tag()));
    }
    List<DicomDataset> out = new ArrayList<>();
    for (Map<Integer, DicomElement> item : items.getOrDefault(sequence.tag(), List.of())) {
      out.add(new DicomDataset(file, transferSyntax, item, Map.of(), null, null));
    }
    return out;
  }

  /**
   * An element by numeric tag.
   *
   * @param tag {@code (group << 16) | element}
   * @return the element, or empty
   */
  public Optional<DicomElement> element(int tag) {
    return Optional.ofNullable(elements.get(tag));
  }

  /**
   * A string value with its padding (spaces, NULs) removed; all values when multi-valued, joined by
   * backslashes as in the file.
   *
   * @param tag the element
   * @return the value, or empty when absent
   */
  public Optional<String> string(DicomTag tag) {
    DicomElement e = elements.get(tag.tag());
    return e == null ? Optional.empty() : Optional.of(trim(new String(e.value(), StandardCharsets.ISO_8859_1)));
  }

  /**
   * An integer value: binary for US/SS/UL/SL, parsed for IS (first value when multi-valued).
   *
   * @param tag the element
   * @return the value, or empty when absent or zero-length
   * @throws DicomFormatException when the value cannot be read as an integer
   */
  public OptionalInt integer(DicomTag tag) {
    DicomElement e = elements.get(tag.tag());
    if (e == null || e.value().length == 0) {
      return OptionalInt.empty();
    }
    byte[] v = e.value();
    switch (e.vr()) {
      case "US":
        return OptionalInt.of(need(e, 2) & 0xFFFF);
      case "SS":
        return OptionalInt.of((short) need(e, 2));
      case "UL":
      case "SL":
        return OptionalInt.of(need(e, 4));
      case "IS":
      case "DS":
        return OptionalInt.of((int) Math.round(firstDecimal(e)));
      default:
        if (v.length == 2) {
          return OptionalInt.of(need(e, 2) & 0xFFFF);
        }
        throw new DicomFormatException(file, e.offset(),
            DicomTag.describe(e.tag()) + " has VR " + e.vr() + ", not an integer");
    }
  }

  /**
   * The decimal values of a DS/IS element (all of them when multi-valued).
   *
   * @param tag the element
   * @return the values; empty when absent or blank
   * @throws DicomFormatException when a value is not a number
   */
  public double[] decimals(DicomTag tag) {
    DicomElement e = elements.get(tag.tag());
    return e == null ? new double[0] : decimalsOf(e);
  }

  private double[] decimalsOf(DicomElement e) {
    String s = trim(new String(e.value(), StandardCharsets.ISO_8859_1));
    if (s.isEmpty()) {
      return new double[0];
    }
    String[] parts = s.split("\\\\");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException ex) {
        throw new DicomFormatException(file, e.offset(),
            DicomTag.describe(e.tag()) + " value '" + parts[i] + "' is not a number");
      }
    }
    return out;
  }

  /**
   * Whether the pixel data is encapsulated (fragments) rather than native.
   *
   * @return true for compressed transfer syntaxes
   */
  public boolean encapsulated() {
    return fragments != null;
  }

  /**
   * The fragments of encapsulated pixel data, without the basic offset table.
   *
   * @return the fragments in file order; empty for native pixel data
   */
  public List<byte[]> fragments() {
    return fragments == null ? List.of() : fragments;
  }

  /**
   * The basic offset table of encapsulated pixel data.
   *
   * @return one offset per frame (relative to the first fragment's item tag), or empty when the table
   *     is empty
   */
  public long[] frameOffsets() {
    return frameOffsets == null ? new long[0] : frameOffsets.clone();
  }

  private double firstDecimal(DicomElement e) {
    double[] d = decimalsOf(e);
    if (d.length == 0) {
      throw new DicomFormatException(file, e.offset(), DicomTag.describe(e.tag()) + " is blank");
    }
    return d[0];
  }

  private int need(DicomElement e, int n) {
    byte[] v = e.value();
    if (v.length < n) {
      throw new DicomFormatException(file, e.offset(),
          DicomTag.describe(e.tag()) + " has " + v.length + " value bytes, expected " + n);
    }
    int r = 0;
    for (int i = n - 1; i >= 0; i--) {
      r = r << 8 | (v[i] & 0xFF);
    }
    return r;
  }

  private static String trim(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
      end--;
    }
    int start = 0;
    while (start < end && s.charAt(start) == ' ') {
      start++;
    }
    return s.substring(start, end);
  }
}
