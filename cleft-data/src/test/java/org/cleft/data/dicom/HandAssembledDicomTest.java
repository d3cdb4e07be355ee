package org.cleft.data.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.data.image.UInt8Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files assembled byte by byte (not by {@link DicomWriter}), so the reader is checked against the standard. */
class HandAssembledDicomTest {
  @TempDir
  Path dir;

  /** Preamble + meta group, then Implicit VR LE with nested undefined-length sequences and 12-bit signed pixels. */
  @Test
  void implicitVrWithNestedSequencesAndSigned12BitPixels() throws Exception {
    LeBytes meta = new LeBytes()
        .explicitLong(0x0002, 0x0001, "OB", 2).raw(new byte[] {0, 1})
        .explicitShort(0x0002, 0x0010, "UI", LeBytes.uid("1.2.840.10008.1.2"));
    LeBytes file = new LeBytes().raw(new byte[128]).ascii("DICM")
        .explicitShort(0x0002, 0x0000, "UL", new byte[] {(byte) meta.size(), 0, 0, 0})
        .raw(meta.toBytes())
        .implicit(0x0008, 0x0060, LeBytes.str("CR"))
        // (0008,1140) SQ, undefined length: one undefined-length item holding a defined-length nested
        // sequence and an element, then one defined-length item.
        .tag(0x0008, 0x1140).u32(0xFFFFFFFFL)
        .tag(0xFFFE, 0xE000).u32(0xFFFFFFFFL)
        .tag(0x0008, 0x1140).u32(8 + 10) // nested SQ with defined length: one item of 10 bytes
        .tag(0xFFFE, 0xE000).u32(10).raw(new byte[10])
        .implicit(0x0008, 0x1150, LeBytes.uid("1.2.3"))
        .tag(0xFFFE, 0xE00D).u32(0)
        .tag(0xFFFE, 0xE000).u32(4).raw(new byte[] {1, 2, 3, 4})
        .tag(0xFFFE, 0xE0DD).u32(0)
        .implicit(0x0010, 0x0020, LeBytes.str("PAT-7"))
        // a private element not in the dictionary, undefined length: an implicit-VR sequence
        .tag(0x0029, 0x1010).u32(0xFFFFFFFFL)
        .tag(0xFFFE, 0xE000).u32(0xFFFFFFFFL)
        .implicit(0x0029, 0x1011, LeBytes.str("X"))
        .tag(0xFFFE, 0xE00D).u32(0)
        .tag(0xFFFE, 0xE0DD).u32(0)
        .implicit(0x0028, 0x0002, LeBytes.us(1))
        .implicit(0x0028, 0x0004, LeBytes.str("MONOCHROME2"))
        .implicit(0x0028, 0x0010, LeBytes.us(2))
        .implicit(0x0028, 0x0011, LeBytes.us(3))
        .implicit(0x0028, 0x0100, LeBytes.us(16))
        .implicit(0x0028, 0x0101, LeBytes.us(12))
        .implicit(0x0028, 0x0102, LeBytes.us(11))
        .implicit(0x0028, 0x0103, LeBytes.us(1))
        .implicit(0x0028, 0x1050, LeBytes.str("0\\50"))
        .implicit(0x0028, 0x1051, LeBytes.str("201\\10"))
        .implicit(0x0028, 0x1052, LeBytes.str("-10"))
        .implicit(0x0028, 0x1053, LeBytes.str("2"));
    // 12-bit two's complement in 16 bits, upper 4 bits garbage that must be masked off.
    int[] stored = {-2048, -50, 0, 5, 60, 2047};
    byte[] pixels = new byte[stored.length * 2];
    for (int i = 0; i < stored.length; i++) {
      int v = (stored[i] & 0x0FFF) | 0xA000;
      pixels[2 * i] = (byte) v;
      pixels[2 * i + 1] = (byte) (v >> 8);
    }
    file.implicit(0x7FE0, 0x0010, pixels);
    Path path = Files.write(dir.resolve("hand.dcm"), file.toBytes());

    DicomReader reader = new DicomReader();
    DicomDataset ds = reader.readDataset(path);
    assertThat(ds.transferSyntax()).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    assertThat(ds.string(DicomTag.PATIENT_ID)).contains("PAT-7");
    assertThat(ds.string(DicomTag.MODALITY)).contains("CR");

    DicomPixels px = reader.readPixels(path);
    assertThat(px.values()).containsExactly(-4106f, -110f, -10f, 0f, 110f, 4084f);
    assertThat(px.window()).contains(new VoiWindow(0, 201));
    UInt8Image img = px.toUInt8();
    assertThat(img.width()).isEqualTo(3);
    assertThat(img.height()).isEqualTo(2);
    // Window [-100.5, 99.5]: -110 -> 0, 0 -> 128, 110 -> 255, -10 -> (( -10+0.5)/200+0.5)*255 = 115.
    assertThat(img.data()).containsExactly(0, 0, 115, 128, (byte) 255, (byte) 255);
  }

  /** No preamble, no meta group, Explicit VR: defined-length SQ, undefined SQ, and an undefined-length UN. */
  @Test
  void explicitVrWithoutPreambleOrMetaGroup() throws Exception {
    LeBytes file = new LeBytes()
        .explicitShort(0x0008, 0x0060, "CS", LeBytes.str("DX"))
        .explicitLong(0x0008, 0x1140, "SQ", 8 + 8 + 4).tag(0xFFFE, 0xE000).u32(12)
        .explicitShort(0x0008, 0x1150, "UI", LeBytes.uid("1.2"))
        .explicitLong(0x0028, 0x3010, "SQ", 0xFFFFFFFFL)
        .tag(0xFFFE, 0xE000).u32(0xFFFFFFFFL)
        .explicitShort(0x0028, 0x3002, "US", words(31, 10, 8))
        .explicitLong(0x0028, 0x3006, "OW", 62).raw(words(ramp(31, 8)))
        .tag(0xFFFE, 0xE00D).u32(0)
        .tag(0xFFFE, 0xE0DD).u32(0)
        .explicitLong(0x0029, 0x1010, "UN", 0xFFFFFFFFL) // contents are Implicit VR LE
        .tag(0xFFFE, 0xE000).u32(0xFFFFFFFFL)
        .implicit(0x0029, 0x1011, LeBytes.str("YY"))
        .tag(0xFFFE, 0xE00D).u32(0)
        .tag(0xFFFE, 0xE0DD).u32(0)
        .explicitShort(0x0028, 0x0004, "CS", LeBytes.str("MONOCHROME1"))
        .explicitShort(0x0028, 0x0010, "US", LeBytes.us(1))
        .explicitShort(0x0028, 0x0011, "US", LeBytes.us(4))
        .explicitShort(0x0028, 0x0100, "US", LeBytes.us(8))
        .explicitShort(0x0028, 0x0101, "US", LeBytes.us(8))
        .explicitShort(0x0028, 0x0102, "US", LeBytes.us(7))
        .explicitLong(0x7FE0, 0x0010, "OB", 4).raw(new byte[] {10, 20, 30, 40});
    Path path = Files.write(dir.resolve("bare.dcm"), file.toBytes());

    DicomReader reader = new DicomReader();
    assertThat(reader.readDataset(path).transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    UInt8Image img = reader.read(path);
    // the VOI LUT from the undefined-length item: 10, 20, 30, 40 -> entries 0, 10, 20, 30 = 0, 80, 160, 240 of
    // 8 bits, then MONOCHROME1 inverted
    assertThat(img.data()).containsExactly((byte) 255, (byte) 175, 95, 15);
  }

  /**
   * A Modality LUT Sequence of defined length with a defined-length item, in Implicit VR: its table replaces the
   * rescale, clipping below the first value mapped and past the last entry; nested sequences inside it are skipped.
   */
  @Test
  void aModalityLutOfDefinedLengthMapsTheStoredValues() throws Exception {
    byte[] descriptor = words(3, 2, 16);
    byte[] data = words(1000, 2000, 3000);
    byte[] nested = new LeBytes().implicit(0x0008, 0x0100, LeBytes.str("X")).toBytes();
    LeBytes item = new LeBytes().implicit(0x0028, 0x3002, descriptor).implicit(0x0028, 0x3006, data)
        .tag(0x0008, 0x1140).u32(8 + nested.length).tag(0xFFFE, 0xE000).u32(nested.length).raw(nested);
    byte[] itemBytes = item.toBytes();
    LeBytes file = new LeBytes()
        .implicit(0x0028, 0x0002, LeBytes.us(1))
        .implicit(0x0028, 0x0004, LeBytes.str("MONOCHROME2"))
        .implicit(0x0028, 0x0010, LeBytes.us(1))
        .implicit(0x0028, 0x0011, LeBytes.us(5))
        .implicit(0x0028, 0x0100, LeBytes.us(16))
        .implicit(0x0028, 0x0101, LeBytes.us(12))
        .implicit(0x0028, 0x0102, LeBytes.us(11))
        .implicit(0x0028, 0x1052, LeBytes.str("-1024")) // ignored: the table takes precedence
        .tag(0x0028, 0x3000).u32(8 + itemBytes.length).tag(0xFFFE, 0xE000).u32(itemBytes.length).raw(itemBytes)
        .implicit(0x7FE0, 0x0010, words(0, 2, 3, 4, 99));
    Path path = Files.write(dir.resolve("modality-lut.dcm"), file.toBytes());

    DicomPixels px = new DicomReader().readPixels(path);
    assertThat(px.values()).containsExactly(1000f, 1000f, 2000f, 3000f, 3000f);
    assertThat(px.voiLut()).isEmpty();
    assertThat(new DicomReader().readDataset(path).items(DicomTag.MODALITY_LUT_SEQUENCE)).hasSize(1);
  }

  /** LUT Data shorter than its descriptor says: refused, naming the sequence, the element and the counts. */
  @Test
  void aShortLookupTableIsNamed() throws Exception {
    byte[] item = new LeBytes().implicit(0x0028, 0x3002, words(4, 0, 16)).implicit(0x0028, 0x3006, words(1, 2))
        .toBytes();
    LeBytes file = new LeBytes()
        .implicit(0x0028, 0x0010, LeBytes.us(1))
        .implicit(0x0028, 0x0011, LeBytes.us(2))
        .implicit(0x0028, 0x0100, LeBytes.us(8))
        .implicit(0x0028, 0x0101, LeBytes.us(8))
        .tag(0x0028, 0x3010).u32(8 + item.length).tag(0xFFFE, 0xE000).u32(item.length).raw(item)
        .implicit(0x7FE0, 0x0010, new byte[] {1, 2});
    Path path = Files.write(dir.resolve("short-lut.dcm"), file.toBytes());
    assertThatThrownBy(() -> new DicomReader().readPixels(path)).isInstanceOf(DicomFormatException.class)
        .hasMessageContaining(path.toString())
        .hasMessageContaining("(0028,3010) VOI_LUT_SEQUENCE item 1: (0028,3006) LUT_DATA has 4 bytes for the 4 "
            + "entries its descriptor declares");
  }

  private static byte[] words(int... values) {
    byte[] b = new byte[2 * values.length];
    for (int i = 0; i < values.length; i++) {
      b[2 * i] = (byte) values[i];
      b[2 * i + 1] = (byte) (values[i] >> 8);
    }
    return b;
  }

  private static int[] ramp(int n, int step) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i * step;
    }
    return r;
  }

  /** A zero preamble but no "DICM" and no meta group (some exporters write it so): the dataset starts at 128. */
  @Test
  void aPreambleWithoutDicmIsSkipped() throws Exception {
    LeBytes file = new LeBytes().raw(new byte[128])
        .implicit(0x0008, 0x0060, LeBytes.str("DX"))
        .implicit(0x0028, 0x0002, LeBytes.us(1))
        .implicit(0x0028, 0x0010, LeBytes.us(1))
        .implicit(0x0028, 0x0011, LeBytes.us(2))
        .implicit(0x0028, 0x0100, LeBytes.us(8))
        .implicit(0x0028, 0x0101, LeBytes.us(8))
        .implicit(0x0028, 0x0102, LeBytes.us(7))
        .implicit(0x7FE0, 0x0010, new byte[] {5, 9});
    Path path = Files.write(dir.resolve("preamble-only.dcm"), file.toBytes());
    DicomPixels px = new DicomReader().readPixels(path);
    assertThat(px.values()).containsExactly(5f, 9f);
  }
}
