package org.cleft.data.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unsupported syntaxes, corrupt and truncated files, and the pixel-count guard fail with clear messages. */
class DicomErrorTest {
  @TempDir
  Path dir;

  private final DicomReader reader = new DicomReader();

  private byte[] sample() {
    short[] px = new short[8 * 8];
    Arrays.fill(px, (short) 300);
    return new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).string(DicomTag.PATIENT_ID, "P")
        .grey16(8, 8, px, 12, false).toBytes();
  }

  @Test
  void highThroughputJpeg2000IsRefusedWithUidNameFileAndTheWorkaround() throws Exception {
    LeBytes meta = new LeBytes().explicitShort(0x0002, 0x0010, "UI", LeBytes.uid("1.2.840.10008.1.2.4.201"));
    byte[] bytes = new LeBytes().raw(new byte[128]).ascii("DICM").raw(meta.toBytes())
        .explicitShort(0x0028, 0x0010, "US", LeBytes.us(1)).toBytes();
    Path f = Files.write(dir.resolve("htj2k.dcm"), bytes);
    assertThatThrownBy(() -> reader.read(f))
        .isInstanceOf(UnsupportedTransferSyntaxException.class)
        .hasMessageContaining("1.2.840.10008.1.2.4.201")
        .hasMessageContaining("High-Throughput JPEG 2000")
        .hasMessageContaining("gdcmconv --raw")
        .hasMessageContaining("htj2k.dcm");
  }

  @Test
  void aPaletteImageWithoutItsTablesOrAnotherColourOfOneSampleIsRefusedNotReadAsGrey() throws Exception {
    Path palette = new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
        .grey8(2, 3, new byte[] {0, 1, 2, 3, 4, 5})
        .string(DicomTag.PHOTOMETRIC_INTERPRETATION, "PALETTE COLOR").write(dir.resolve("palette.dcm"));
    assertThatThrownBy(() -> reader.read(palette)).isInstanceOf(DicomFormatException.class)
        .hasMessageContaining("palette.dcm").hasMessageContaining("PALETTE COLOR")
        .hasMessageContaining("(0028,1101)");
    Path ybr = new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).grey8(2, 3, new byte[] {0, 1, 2, 3, 4, 5})
        .string(DicomTag.PHOTOMETRIC_INTERPRETATION, "YBR_FULL").write(dir.resolve("ybr.dcm"));
    assertThatThrownBy(() -> reader.read(ybr)).isInstanceOf(DicomFormatException.class)
        .hasMessageContaining("ybr.dcm").hasMessageContaining("photometric interpretation YBR_FULL");
  }

  @Test
  void truncatedPixelDataNamesFileAndTag() throws Exception {
    byte[] full = sample();
    Path f = Files.write(dir.resolve("cut.dcm"), Arrays.copyOf(full, full.length - 10));
    assertThatThrownBy(() -> reader.read(f))
        .isInstanceOf(DicomFormatException.class)
        .hasMessageContaining("cut.dcm")
        .hasMessageContaining("(7FE0,0010) PIXEL_DATA")
        .hasMessageContaining("byte offset");
  }

  @Test
  void invalidVrIsReportedAsCorrupt() throws Exception {
    byte[] bytes = new LeBytes().explicitShort(0x0008, 0x0060, "CS", LeBytes.str("CR"))
        .tag(0x0028, 0x0010).ascii("Q!").u16(2).u16(5).toBytes();
    Path f = Files.write(dir.resolve("badvr.dcm"), bytes);
    assertThatThrownBy(() -> reader.read(f))
        .isInstanceOf(DicomFormatException.class)
        .hasMessageContaining("badvr.dcm")
        .hasMessageContaining("invalid VR")
        .hasMessageContaining("(0028,0010) ROWS")
        .hasMessageContaining("offset 10");
  }

  @Test
  void everyTruncationFailsCleanly() throws Exception {
    byte[] full = sample();
    for (int len = 0; len < full.length - 1; len += 3) {
      Path f = Files.write(dir.resolve("t.dcm"), Arrays.copyOf(full, len));
      assertThatThrownBy(() -> reader.read(f)).as("truncated to %d bytes", len)
          .isInstanceOf(DicomFormatException.class).hasMessageContaining("t.dcm");
    }
  }

  @Test
  void randomCorruptionNeverEscapesAsAnUnrelatedException() throws Exception {
    byte[] full = sample();
    Random random = new Random(7);
    for (int trial = 0; trial < 300; trial++) {
      byte[] bad = full.clone();
      for (int k = 0; k < 3; k++) {
        bad[132 + random.nextInt(bad.length - 132 - 128)] = (byte) random.nextInt(256);
      }
      Path f = Files.write(dir.resolve("r.dcm"), bad);
      try {
        reader.read(f);
      } catch (DicomFormatException | UnsupportedTransferSyntaxException expected) {
        assertThat(expected).hasMessageContaining("r.dcm");
      }
    }
  }

  @Test
  void pixelLimitIsCheckedBeforeDecoding() {
    Path f = new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).grey8(20, 20, new byte[400])
        .write(dir.resolve("big.dcm"));
    assertThatThrownBy(() -> new DicomReader(399).read(f))
        .isInstanceOf(DicomFormatException.class)
        .hasMessageContaining("big.dcm")
        .hasMessageContaining("400 pixels exceeds the limit of 399");
    assertThat(new DicomReader(400).read(f).width()).isEqualTo(20);
  }

  @Test
  void notDicomAtAll() throws Exception {
    Path f = Files.writeString(dir.resolve("notes.dcm"), "hello, this is not a DICOM file at all");
    assertThatThrownBy(() -> reader.read(f)).isInstanceOf(DicomFormatException.class).hasMessageContaining("notes.dcm");
  }
}
