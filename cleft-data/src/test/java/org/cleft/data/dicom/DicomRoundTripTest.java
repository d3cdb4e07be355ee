package org.cleft.data.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.cleft.data.image.UInt8Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writer to reader round trips for each supported transfer syntax and pixel layout. */
class DicomRoundTripTest {
  @TempDir
  Path dir;

  private final DicomReader reader = new DicomReader();

  private static byte[] gradient(int rows, int cols) {
    byte[] b = new byte[rows * cols];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        b[y * cols + x] = (byte) Math.min(255, (x * 255) / (cols - 1));
      }
    }
    return b;
  }

  @ParameterizedTest
  @EnumSource(value = TransferSyntax.class, names = {"EXPLICIT_VR_LITTLE_ENDIAN", "IMPLICIT_VR_LITTLE_ENDIAN"})
  void native8BitIsExact(TransferSyntax syntax) {
    byte[] pixels = gradient(8, 16);
    Path f = new DicomWriter(syntax).string(DicomTag.PATIENT_ID, "P1").grey8(8, 16, pixels)
        .write(dir.resolve(syntax + ".dcm"));
    DicomDataset ds = reader.readDataset(f);
    assertThat(ds.transferSyntax()).isEqualTo(syntax);
    assertThat(ds.string(DicomTag.PATIENT_ID)).contains("P1");
    assertThat(reader.read(f)).isEqualTo(new UInt8Image(16, 8, 1, pixels));
  }

  @ParameterizedTest
  @EnumSource(value = TransferSyntax.class, names = {"EXPLICIT_VR_LITTLE_ENDIAN", "IMPLICIT_VR_LITTLE_ENDIAN"})
  void signed16BitWithRescaleAndWindow(TransferSyntax syntax) {
    short[] raw = {-1000, -200, -100, 0, 100, 1000};
    Path f = new DicomWriter(syntax)
        .string(DicomTag.RESCALE_SLOPE, "2")
        .string(DicomTag.RESCALE_INTERCEPT, "-24")
        .string(DicomTag.WINDOW_CENTER, "40\\300")
        .string(DicomTag.WINDOW_WIDTH, "400\\1500")
        .grey16(2, 3, raw, 16, true)
        .write(dir.resolve("ct.dcm"));
    DicomPixels px = reader.readPixels(f);
    assertThat(px.values()).containsExactly(-2024f, -424f, -224f, -24f, 176f, 1976f);
    assertThat(px.window()).contains(new VoiWindow(40, 400));
    // window [-160, 240): -224 -> 0; -24 -> ((-24 - 39.5) / 399 + 0.5) * 255 = 86.9; 176 -> 214.7
    assertThat(px.toUInt8().data()).containsExactly(0, 0, 0, 87, (byte) 215, (byte) 255);
  }

  @Test
  void twelveBitsStoredUnsignedWithoutWindowUsesMinMax() {
    short[] raw = {0, 1024, 2048, 4095};
    Path f = new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).grey16(2, 2, raw, 12, false)
        .write(dir.resolve("u12.dcm"));
    assertThat(reader.readPixels(f).values()).containsExactly(0f, 1024f, 2048f, 4095f);
    assertThat(reader.read(f).data()).containsExactly(0, 64, (byte) 128, (byte) 255);
  }

  @Test
  void monochrome1IsInverted() {
    Path f = new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
        .string(DicomTag.PHOTOMETRIC_INTERPRETATION, "MONOCHROME1")
        .grey8(1, 3, new byte[] {0, (byte) 128, (byte) 255})
        .write(dir.resolve("m1.dcm"));
    assertThat(reader.read(f).data()).containsExactly((byte) 255, 127, 0);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1})
  void rgbInBothPlanarConfigurations(int planar) {
    byte[] rgb = new byte[2 * 2 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 20);
    }
    Path f = new DicomWriter(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).rgb8(2, 2, rgb, planar)
        .write(dir.resolve("rgb" + planar + ".dcm"));
    assertThat(reader.read(f)).isEqualTo(new UInt8Image(2, 2, 3, rgb));
  }

  @Test
  void firstFrameOfMultiFrameNative() {
    byte[] two = new byte[2 * 4];
    java.util.Arrays.fill(two, 0, 4, (byte) 10);
    two[3] = 20;
    java.util.Arrays.fill(two, 4, 8, (byte) 99);
    Path f = new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).grey8(2, 2, two).write(dir.resolve("mf.dcm"));
    assertThat(reader.readPixels(f).values()).containsExactly(10f, 10f, 10f, 20f);
  }

  @Test
  void jpegBaselineGreyInSeveralFragments() {
    byte[] pixels = gradient(32, 48);
    Path f = new DicomWriter(TransferSyntax.JPEG_BASELINE).fragmentSize(256).grey8(32, 48, pixels)
        .write(dir.resolve("jpeg.dcm"));
    DicomDataset ds = reader.readDataset(f);
    assertThat(ds.encapsulated()).isTrue();
    assertThat(ds.fragments().size()).isGreaterThan(1);
    assertThat(meanAbsDiff(reader.read(f), pixels)).isLessThan(3);
  }

  @Test
  void jpegBaselineMultiFrameUsesOffsetTableForFirstFrame() {
    byte[] two = new byte[2 * 16 * 16];
    java.util.Arrays.fill(two, 0, 256, (byte) 200);
    java.util.Arrays.fill(two, 256, 512, (byte) 30);
    Path f = new DicomWriter(TransferSyntax.JPEG_BASELINE).fragmentSize(64).grey8(16, 16, two)
        .write(dir.resolve("jpeg-mf.dcm"));
    assertThat(reader.readDataset(f).frameOffsets()).hasSize(2);
    DicomPixels px = reader.readPixels(f);
    assertThat(px.values()[0]).isBetween(197f, 203f);
    assertThat(px.values()[255]).isBetween(197f, 203f);
  }

  @Test
  void jpegBaselineColour() {
    byte[] rgb = new byte[16 * 16 * 3];
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = (byte) 200;
      rgb[i + 1] = 40;
      rgb[i + 2] = 90;
    }
    Path f = new DicomWriter(TransferSyntax.JPEG_BASELINE).rgb8(16, 16, rgb, 0).write(dir.resolve("jpeg-rgb.dcm"));
    UInt8Image img = reader.read(f);
    assertThat(img.channels()).isEqualTo(3);
    assertThat(meanAbsDiff(img, rgb)).isLessThan(4);
  }

  private static double meanAbsDiff(UInt8Image img, byte[] expected) {
    assertThat(img.data()).hasSameSizeAs(expected);
    double sum = 0;
    for (int i = 0; i < expected.length; i++) {
      sum += Math.abs((img.data()[i] & 0xFF) - (expected[i] & 0xFF));
    }
    return sum / expected.length;
  }
}
