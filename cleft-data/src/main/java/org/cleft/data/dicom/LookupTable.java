package org.cleft.data.dicom;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A modality or VOI lookup table (PS3.3 C.11.1 and C.11.2): the first item of the Modality LUT Sequence
 * (0028,3000) or the VOI LUT Sequence (0028,3010), with its LUT Descriptor (0028,3002) and LUT Data (0028,3006).
 * A value below the first one mapped takes the first entry, a value past the last takes the last entry, as
 * PS3.3 and pydicom have it.
 *
 * @param firstMapped the input value of entry 0 (the descriptor's second value)
 * @param bits the bits per entry the descriptor declares (its third value)
 * @param entries the table, one output value per input value from {@code firstMapped}
 */
public record LookupTable(int firstMapped, int bits, int[] entries) {

  /**
   * Validates the table.
   *
   * @param firstMapped see the record description
   * @param bits see the record description
   * @param entries see the record description
   */
  public LookupTable {
    if (entries.length == 0 || bits < 1 || bits > 16) {
      throw new IllegalArgumentException("a lookup table needs at least one entry and 1 to 16 bits per entry, got "
          + entries.length + " entries of " + bits + " bits");
    }
  }

  /**
   * The table's output for an input value.
   *
   * @param x an input value (a stored value for a modality LUT, a rescaled one for a VOI LUT); a fraction is
   *     rounded down
   * @return the entry that maps it
   */
  public int lookup(double x) {
    double index = Math.floor(x) - firstMapped;
    return entries[(int) Math.max(0, Math.min(entries.length - 1, index))];
  }

  /**
   * The table's output scaled to 0..255: entry {@code e} becomes {@code round(e * 255 / (2^bits - 1))}. When an
   * entry exceeds what the declared bits can hold (an encoder quirk), the range of the largest entry is used.
   *
   * @param x an input value, as for {@link #lookup(double)}
   * @return the display value, 0..255
   */
  public int display(double x) {
    return (int) Math.round(lookup(x) * 255.0 / outputMax());
  }

  private double outputMax() {
    int max = Arrays.stream(entries).max().orElse(0);
    int declared = (1 << bits) - 1;
    return max <= declared ? declared : (Integer.highestOneBit(max) << 1) - 1;
  }

  /**
   * The first item of a lookup-table sequence, when it has both a descriptor and data.
   *
   * @param ds the dataset holding the sequence
   * @param sequence {@link DicomTag#MODALITY_LUT_SEQUENCE} or {@link DicomTag#VOI_LUT_SEQUENCE}
   * @return the table; empty when the sequence is absent or its first item lacks the descriptor or the data
   * @throws DicomFormatException when the descriptor or the data is malformed, naming the element
   */
  static Optional<LookupTable> of(DicomDataset ds, DicomTag sequence) {
    List<DicomDataset> items = ds.items(sequence);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    DicomDataset item = items.get(0);
    Optional<DicomElement> descriptor = item.element(DicomTag.LUT_DESCRIPTOR.tag());
    Optional<DicomElement> data = item.element(DicomTag.LUT_DATA.tag());
    if (descriptor.isEmpty() || data.isEmpty()) {
      return Optional.empty();
    }
    String where = DicomTag.describe(sequence.tag()) + " item 1: ";
    byte[] d = descriptor.get().value();
    if (d.length != 6) {
      throw new DicomFormatException(ds.file(), descriptor.get().offset(), where
          + DicomTag.describe(DicomTag.LUT_DESCRIPTOR.tag()) + " has " + d.length + " bytes, not 3 values of 2");
    }
    int entries = word(d, 0) == 0 ? 65536 : word(d, 0);
    // the first value mapped is US or SS: as written in an explicit VR file, else by the Pixel Representation
    boolean signed = descriptor.get().vr().equals("SS") || (!ds.transferSyntax().explicitVr()
        && ds.integer(DicomTag.PIXEL_REPRESENTATION).orElse(0) == 1);
    int first = signed ? (short) word(d, 2) : word(d, 2);
    int bits = word(d, 4);
    if (bits < 1 || bits > 16) {
      throw new DicomFormatException(ds.file(), descriptor.get().offset(), where
          + DicomTag.describe(DicomTag.LUT_DESCRIPTOR.tag()) + " declares " + bits + " bits per entry (1 to 16)");
    }
    byte[] v = data.get().value();
    boolean packed = bits <= 8 && v.length == entries && entries > 1; // 8-bit entries one per byte: a quirk
    if (!packed && v.length < 2L * entries) {
      throw new DicomFormatException(ds.file(), data.get().offset(), where
          + DicomTag.describe(DicomTag.LUT_DATA.tag()) + " has " + v.length + " bytes for the " + entries
          + " entries its descriptor declares");
    }
    int[] table = new int[entries];
    for (int i = 0; i < entries; i++) {
      table[i] = packed ? v[i] & 0xFF : word(v, 2 * i);
    }
    return Optional.of(new LookupTable(first, bits, table));
  }

  private static int word(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LookupTable t && t.firstMapped == firstMapped && t.bits == bits
        && Arrays.equals(t.entries, entries);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * firstMapped + bits) + Arrays.hashCode(entries);
  }

  @Override
  public String toString() {
    return "LookupTable[" + entries.length + " entries of " + bits + " bits from " + firstMapped + "]";
  }
}
