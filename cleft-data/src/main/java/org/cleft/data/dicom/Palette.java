package org.cleft.data.dicom;

/**
 * The colour tables of a PALETTE COLOR image (PS3.3 C.7.6.3.1.5): each stored value indexes a red, a green and a
 * blue table. 16-bit entries are reduced to 8 bits by their high byte, as the RGB images cleft reads are 8-bit.
 * Segmented tables are refused by name.
 */
final class Palette {
  private final int first;
  private final int[][] tables;

  private Palette(int first, int[][] tables) {
    this.first = first;
    this.tables = tables;
  }

  static Palette of(DicomDataset ds) {
    if (ds.contains(DicomTag.SEGMENTED_RED_PALETTE_DATA)) {
      throw new DicomFormatException(ds.file(), "segmented palette colour tables (0028,1221) are not decoded; "
          + "convert the image to RGB first");
    }
    DicomTag[] descriptors = {DicomTag.RED_PALETTE_DESCRIPTOR, DicomTag.GREEN_PALETTE_DESCRIPTOR,
        DicomTag.BLUE_PALETTE_DESCRIPTOR};
    DicomTag[] data = {DicomTag.RED_PALETTE_DATA, DicomTag.GREEN_PALETTE_DATA, DicomTag.BLUE_PALETTE_DATA};
    int[][] tables = new int[3][];
    int first = 0;
    for (int c = 0; c < 3; c++) {
      DicomTag descriptor = descriptors[c];
      DicomTag values = data[c];
      byte[] d = ds.element(descriptor.tag()).orElseThrow(() -> missing(ds, descriptor)).value();
      byte[] v = ds.element(values.tag()).orElseThrow(() -> missing(ds, values)).value();
      if (d.length < 6) {
        throw new DicomFormatException(ds.file(), DicomTag.describe(descriptors[c].tag()) + " has " + d.length
            + " bytes, not the 3 values of a palette descriptor");
      }
      int entries = word(d, 0) == 0 ? 65536 : word(d, 0);
      int mapped = word(d, 2);
      if (ds.integer(DicomTag.PIXEL_REPRESENTATION).orElse(0) == 1) {
        mapped = (short) mapped;
      }
      int bits = word(d, 4);
      first = mapped;
      int[] table = new int[entries];
      boolean packed = bits == 8 && v.length == entries; // some writers pack 8-bit entries one per byte
      if (!packed && v.length < 2L * entries) {
        throw new DicomFormatException(ds.file(), DicomTag.describe(data[c].tag()) + " has " + v.length
            + " bytes for " + entries + " entries");
      }
      for (int i = 0; i < entries; i++) {
        int e = packed ? v[i] & 0xFF : word(v, 2 * i);
        table[i] = bits > 8 ? e >> (bits - 8) : e & 0xFF;
      }
      tables[c] = table;
    }
    return new Palette(first, tables);
  }

  /** {@return RGB values, interleaved, of the stored values} */
  float[] apply(float[] stored) {
    float[] out = new float[stored.length * 3];
    for (int i = 0; i < stored.length; i++) {
      for (int c = 0; c < 3; c++) {
        int[] table = tables[c];
        int index = Math.max(0, Math.min(table.length - 1, (int) stored[i] - first));
        out[3 * i + c] = table[index];
      }
    }
    return out;
  }

  private static int word(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static DicomFormatException missing(DicomDataset ds, DicomTag tag) {
    return new DicomFormatException(ds.file(), "PALETTE COLOR image without " + DicomTag.describe(tag.tag()));
  }
}
