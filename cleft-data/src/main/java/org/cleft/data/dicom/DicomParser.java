package org.cleft.data.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Parses a DICOM file's bytes: preamble, file meta group (always Explicit VR Little Endian), then the
 * dataset in its transfer syntax up to and including the pixel data. Sequences are skipped, except the items of
 * the lookup-table sequences ({@link #KEPT_SEQUENCES}), whose own elements are kept.
 */
final class DicomParser {
  private static final long UNDEFINED = 0xFFFFFFFFL;
  private static final int MAX_DEPTH = 32;
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
  private static final Set<String> ALL_VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL",
      "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV",
      "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV");

  /** VRs whose values are binary numbers of 2, 4 or 8 bytes: swapped to little endian when read big endian. */
  private static final Map<String, Integer> SWAPPED = Map.of("US", 2, "SS", 2, "OW", 2, "AT", 2, "UL", 4, "SL", 4,
      "FL", 4, "OF", 4, "FD", 8, "OD", 8);
  /** Top-level sequences whose items' elements are kept: the modality and VOI lookup tables. */
  static final Set<Integer> KEPT_SEQUENCES =
      Set.of(DicomTag.MODALITY_LUT_SEQUENCE.tag(), DicomTag.VOI_LUT_SEQUENCE.tag());
  /** Inflated datasets larger than this are refused (a decompression-bomb guard): 4 GiB less a little. */
  private static final long MAX_INFLATED = Integer.MAX_VALUE - 64;

  private DicomCursor in;
  private final Path file;
  private final Map<Integer, DicomElement> elements = new HashMap<>();
  private final Map<Integer, List<Map<Integer, DicomElement>>> items = new HashMap<>();
  private List<byte[]> fragments;
  private boolean bigEndian;
  private long[] frameOffsets;

  private DicomParser(byte[] bytes, Path file) {
    this.file = file;
    this.in = new DicomCursor(bytes, file, preambleEnd(bytes));
  }

  /** Parses a whole file. */
  static DicomDataset parse(byte[] bytes, Path file) {
    return new DicomParser(bytes, file).run(bytes);
  }

  private static int preambleEnd(byte[] b) {
    if (b.length >= 132 && "DICM".equals(new String(b, 128, 4, StandardCharsets.US_ASCII))) {
      return 132;
    }
    if (b.length >= 4 && "DICM".equals(new String(b, 0, 4, StandardCharsets.US_ASCII))) {
      return 4;
    }
    if (b.length >= 136 && zeros(b, 128) && !zeros(b, 136)) {
      int group = (b[128] & 0xFF) | (b[129] & 0xFF) << 8;
      if (group == 0x0002 || group == 0x0008 || group == 0x0800) { // 0x0800: group 0008 big endian
        return 128; // a zero preamble without "DICM": the dataset follows it
      }
    }
    return 0;
  }

  private static boolean zeros(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private DicomDataset run(byte[] bytes) {
    if (in.remaining() < 8) {
      throw new DicomFormatException(file, in.position(), "not a DICOM file: only " + bytes.length + " bytes");
    }
    String uid = null;
    while (in.remaining() >= 8 && in.peekU16(0) == 0x0002) {
      DicomElement e = readElement(true, 0, elements);
      if (e != null && e.tag() == DicomTag.TRANSFER_SYNTAX_UID.tag()) {
        uid = new String(e.value(), StandardCharsets.US_ASCII).replace('\0', ' ').trim();
      }
    }
    if (uid == null && in.remaining() >= 6 && in.peekU16(0) == 0x0800 && ALL_VRS.contains(in.peekAscii2(4))) {
      uid = TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid(); // no meta, group 0008 written most significant byte first
    } else if (uid == null) {
      uid = looksExplicit() ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()
          : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid();
    }
    String found = uid;
    TransferSyntax ts = TransferSyntax.of(uid).orElseThrow(() -> new UnsupportedTransferSyntaxException(file, found));
    if (ts.deflated()) {
      in = new DicomCursor(inflate(in.rest()), file, 0);
    }
    in.bigEndian(ts.bigEndian());
    bigEndian = ts.bigEndian();
    // an implicit VR body under an explicit syntax (a known encoder quirk, which pydicom tolerates): read as implicit
    boolean explicit = ts.explicitVr() && (in.remaining() < 6 || ALL_VRS.contains(in.peekAscii2(4)));
    while (in.remaining() > 0 && !elements.containsKey(DicomTag.PIXEL_DATA.tag())) {
      if (in.remaining() < 8) {
        throw new DicomFormatException(file, in.position(),
            "truncated: " + in.remaining() + " trailing bytes cannot hold a data element header");
      }
      readElement(explicit, 0, elements);
    }
    return new DicomDataset(file, ts, elements, items, fragments, frameOffsets);
  }

  /** Reverses the bytes of each {@code width}-byte number in place (nothing for width 1). */
  static void reverseEach(byte[] v, int width) {
    for (int i = 0; width > 1 && i + width <= v.length; i += width) {
      for (int a = i, b = i + width - 1; a < b; a++, b--) {
        byte t = v[a];
        v[a] = v[b];
        v[b] = t;
      }
    }
  }

  /** The raw deflate stream of a Deflated Explicit VR Little Endian dataset, inflated. */
  private byte[] inflate(byte[] deflated) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 4);
      byte[] buffer = new byte[64 << 10];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break; // the stream ends without its final block: keep what it held, as pydicom does
        }
        out.write(buffer, 0, n);
        if (out.size() > MAX_INFLATED) {
          throw new DicomFormatException(file, "deflated dataset inflates beyond " + MAX_INFLATED + " bytes");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new DicomFormatException(file, "corrupt deflated dataset (Deflated Explicit VR Little Endian): "
          + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /** A file without meta group: guess the VR encoding from whether bytes 4-5 spell a VR. */
  private boolean looksExplicit() {
    if (in.remaining() < 6) {
      return false;
    }
    String vr = new String(new byte[] {(byte) in.peekU16(4), (byte) (in.peekU16(4) >> 8)}, StandardCharsets.US_ASCII);
    return ALL_VRS.contains(vr);
  }

  /** Reads one element and keeps it in {@code into} (unless null); returns null for sequences. */
  private DicomElement readElement(boolean explicit, int depth, Map<Integer, DicomElement> into) {
    long offset = in.position();
    int tag = in.tag("data element tag");
    String what = DicomTag.describe(tag);
    String vr;
    long length;
    if (explicit) {
      vr = in.ascii(2, "VR of " + what);
      if (!ALL_VRS.contains(vr)) {
        throw new DicomFormatException(file, offset, "corrupt element " + what + ": invalid VR '"
            + vr.replaceAll("[^ -~]", "?") + "'");
      }
      if (LONG_VRS.contains(vr)) {
        in.skip(2, "reserved bytes of " + what);
        length = in.u32("length of " + what);
      } else {
        length = in.u16("length of " + what);
      }
    } else {
      vr = DicomTag.implicitVr(tag);
      length = in.u32("length of " + what);
    }
    if (tag == DicomTag.PIXEL_DATA.tag() && depth == 0 && length == UNDEFINED) {
      readEncapsulated(offset);
      DicomElement e = new DicomElement(tag, vr, new byte[0], offset);
      elements.put(tag, e);
      return e;
    }
    if ("SQ".equals(vr) || length == UNDEFINED) {
      List<Map<Integer, DicomElement>> kept = null;
      if (depth == 0 && KEPT_SEQUENCES.contains(tag)) {
        kept = new ArrayList<>();
        items.put(tag, kept);
      }
      // An undefined-length UN (explicit) is a sequence encoded as Implicit VR Little Endian (PS3.5 6.2.2).
      readSequence(what, length, explicit && !"UN".equals(vr), depth, kept);
      return null;
    }
    byte[] value = in.bytes(length, "value of " + what);
    if (bigEndian) {
      reverseEach(value, SWAPPED.getOrDefault(vr, 1));
    }
    DicomElement e = new DicomElement(tag, vr, value, offset);
    if (into != null) {
      into.put(tag, e);
    }
    return e;
  }

  /** Skips a sequence, or, when {@code kept} is not null, adds each item's elements to it. */
  private void readSequence(String what, long length, boolean explicit, int depth,
      List<Map<Integer, DicomElement>> kept) {
    if (depth >= MAX_DEPTH) {
      throw new DicomFormatException(file, in.position(), "sequences nested deeper than " + MAX_DEPTH + " in " + what);
    }
    if (length != UNDEFINED && kept == null) {
      in.skip(length, "sequence " + what);
      return;
    }
    long end = length == UNDEFINED ? Long.MAX_VALUE : in.position() + length;
    while (in.position() < end) {
      long offset = in.position();
      int tag = in.tag("item tag in sequence " + what);
      long itemLength = in.u32("item length in sequence " + what);
      if (tag == DicomTag.SEQUENCE_DELIMITATION) {
        return;
      }
      if (tag != DicomTag.ITEM) {
        throw new DicomFormatException(file, offset, "corrupt sequence " + what + ": expected an item (FFFE,E000), found "
            + DicomTag.describe(tag));
      }
      Map<Integer, DicomElement> item = kept == null ? null : new HashMap<>();
      if (kept != null) {
        kept.add(item);
      }
      if (itemLength != UNDEFINED && item == null) {
        in.skip(itemLength, "item of sequence " + what);
      } else {
        readItemElements(what, explicit, depth + 1, itemLength == UNDEFINED ? -1 : in.position() + itemLength, item);
      }
    }
    if (in.position() != end) {
      throw new DicomFormatException(file, in.position(),
          "corrupt sequence " + what + ": its items overrun its length");
    }
  }

  /** Reads an item's elements up to {@code end} (or its item delimitation when -1). */
  private void readItemElements(String what, boolean explicit, int depth, long end,
      Map<Integer, DicomElement> into) {
    while (end < 0 || in.position() < end) {
      if (end < 0 && in.remaining() >= 4 && (in.peekU16(0) << 16 | in.peekU16(2)) == DicomTag.ITEM_DELIMITATION) {
        in.skip(8, "item delimitation in " + what);
        return;
      }
      if (in.remaining() < 8) {
        throw new DicomFormatException(file, in.position(),
            "truncated: item of sequence " + what + " has no item delimitation");
      }
      readElement(explicit, depth, into);
    }
    if (in.position() != end) {
      throw new DicomFormatException(file, in.position(), "corrupt item in sequence " + what
          + ": its elements overrun its length");
    }
  }

  private void readEncapsulated(long offset) {
    long botOffset = in.position();
    int tag = in.tag("basic offset table of pixel data");
    long botLength = in.u32("basic offset table length");
    if (tag != DicomTag.ITEM || botLength == UNDEFINED || botLength % 4 != 0) {
      throw new DicomFormatException(file, botOffset, "corrupt encapsulated pixel data: expected the basic offset "
          + "table item, found " + DicomTag.describe(tag) + " of length " + botLength);
    }
    frameOffsets = new long[(int) (botLength / 4)];
    for (int i = 0; i < frameOffsets.length; i++) {
      frameOffsets[i] = in.u32("basic offset table entry " + i);
    }
    fragments = new ArrayList<>();
    while (true) {
      long at = in.position();
      int t = in.tag("pixel data fragment tag");
      long len = in.u32("pixel data fragment length");
      if (t == DicomTag.SEQUENCE_DELIMITATION) {
        return;
      }
      if (t != DicomTag.ITEM || len == UNDEFINED) {
        throw new DicomFormatException(file, at, "corrupt encapsulated pixel data: expected a fragment item, found "
            + DicomTag.describe(t) + " (pixel data starts at " + offset + ")");
      }
      fragments.add(in.bytes(len, "pixel data fragment " + fragments.size()));
    }
  }
}
