package org.cleft.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
  private final ImageDecoder decoder = new ImageDecoder();

  @ParameterizedTest
  @ValueSource(strings = {"gray8_tall", "gray8_wide", "gray16", "rgb8"})
  void pngMatchesOpenCvExactly(String name) {
    UInt8Image decoded = decoder.decodeGrey(PreprocessFixture.file(name));
    UInt8Image expected = PreprocessFixture.image(name + ".gray");
    assertThat(decoded.width()).isEqualTo(expected.width());
    assertThat(decoded.height()).isEqualTo(expected.height());
    assertThat(PreprocessFixture.countDiff(decoded, expected)).as(name).isZero();
  }

  @Test
  void jpegWithinOneLevelOfOpenCv() {
    UInt8Image decoded = decoder.decodeGrey(PreprocessFixture.file("jpeg8"));
    UInt8Image expected = PreprocessFixture.image("jpeg8.gray");
    assertThat(PreprocessFixture.maxDiff(decoded, expected)).isLessThanOrEqualTo(1);
  }

  /**
   * A CMYK JPEG (ImageMagick's {@code convert cmyk-source.png -colorspace CMYK -quality 95 cmyk.jpg}, no ICC
   * profile): the JDK's reader gives washed-out grey levels (45 read as 117); decoded right it is its source.
   */
  @Test
  void cmykJpegDecodesToItsSource() throws Exception {
    UInt8Image cmyk = decoder.decodeGrey(resource("cmyk.jpg"));
    UInt8Image source = decoder.decodeGrey(resource("cmyk-source.png"));
    assertThat(cmyk.width()).isEqualTo(64);
    // JPEG at quality 95: a few levels at the discs' edges, under one on average
    assertThat(PreprocessFixture.maxDiff(cmyk, source)).isLessThanOrEqualTo(8);
    assertThat(meanDiff(cmyk, source)).isLessThan(1.0);
    // the file is one the JDK's reader gets wrong (what cleft did before)
    javax.imageio.ImageReader jdk = java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(
        ImageIO.getImageReadersByFormatName("jpeg"), 0), false)
        .filter(r -> r.getClass().getName().startsWith("com.sun.imageio.")).findFirst().orElseThrow();
    try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(resource("cmyk.jpg").toFile())) {
      jdk.setInput(in);
      UInt8Image wrong = ImageDecoder.toGrey(jdk.read(0), null);
      assertThat(meanDiff(wrong, source)).isGreaterThan(20.0);
    } finally {
      jdk.dispose();
    }
  }

  /** libjpeg warns about bytes between segments but decodes the same pixels: not an error; a cut file is. */
  @Test
  void harmlessJpegWarningsPassAndTruncationIsRefused(@TempDir Path dir) throws Exception {
    BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        grey.getRaster().setSample(x, y, 0, (x * 4 + y) & 0xFF);
      }
    }
    Path jpg = dir.resolve("a.jpg");
    ImageIO.write(grey, "jpeg", jpg.toFile());
    byte[] bytes = Files.readAllBytes(jpg);
    int second = 4 + (((bytes[4] & 0xFF) << 8) | (bytes[5] & 0xFF)); // SOI, then the first segment's length
    byte[] padded = new byte[bytes.length + 2];
    System.arraycopy(bytes, 0, padded, 0, second);
    System.arraycopy(bytes, second, padded, second + 2, bytes.length - second); // two stray bytes before a marker
    Files.write(dir.resolve("padded.jpg"), padded);
    assertThat(PreprocessFixture.countDiff(decoder.decodeGrey(dir.resolve("padded.jpg")), decoder.decodeGrey(jpg)))
        .isZero();
    Files.write(dir.resolve("cut.jpg"), java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
    assertThatThrownBy(() -> decoder.decodeGrey(dir.resolve("cut.jpg"))).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("damaged");
  }

  /** As libpng: a bad CRC in an ancillary chunk is ignored, in a critical one refused; a missing IEND is allowed. */
  @Test
  void pngCrcsAreCheckedLikeLibpng(@TempDir Path dir) throws Exception {
    BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(3, 4, 0, 200);
    Path png = dir.resolve("a.png");
    ImageIO.write(grey, "png", png.toFile());
    byte[] bytes = Files.readAllBytes(png);
    UInt8Image reference = decoder.decodeGrey(png);
    // a tEXt chunk with a wrong CRC right after IHDR (8 signature + 25 IHDR bytes)
    byte[] text = {0, 0, 0, 2, 't', 'E', 'X', 't', 'a', 'b', 1, 2, 3, 4};
    byte[] withText = new byte[bytes.length + text.length];
    System.arraycopy(bytes, 0, withText, 0, 33);
    System.arraycopy(text, 0, withText, 33, text.length);
    System.arraycopy(bytes, 33, withText, 33 + text.length, bytes.length - 33);
    Files.write(dir.resolve("text.png"), withText);
    assertThat(PreprocessFixture.countDiff(decoder.decodeGrey(dir.resolve("text.png")), reference)).isZero();
    Files.write(dir.resolve("noiend.png"), java.util.Arrays.copyOf(bytes, bytes.length - 12));
    assertThat(PreprocessFixture.countDiff(decoder.decodeGrey(dir.resolve("noiend.png")), reference)).isZero();
    byte[] badIhdr = bytes.clone();
    badIhdr[20] ^= 1; // inside IHDR
    Files.write(dir.resolve("ihdr.png"), badIhdr);
    assertThatThrownBy(() -> decoder.decodeGrey(dir.resolve("ihdr.png"))).hasMessageContaining("CRC mismatch in chunk IHDR");
  }

  private static double meanDiff(UInt8Image a, UInt8Image b) {
    double sum = 0;
    for (int i = 0; i < a.data().length; i++) {
      sum += Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF));
    }
    return sum / a.data().length;
  }

  private static Path resource(String name) throws Exception {
    return Path.of(ImageDecoderTest.class.getResource(name).toURI());
  }

  @Test
  void paletteAndColourJpeg(@TempDir Path dir) throws IOException {
    byte[] reds = {0, (byte) 255}, greens = {0, (byte) 128}, blues = {0, 64};
    BufferedImage indexed = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(1, 2, reds, greens, blues));
    indexed.getRaster().setSample(1, 0, 0, 1);
    Path png = dir.resolve("palette.png");
    ImageIO.write(indexed, "png", png.toFile());
    UInt8Image grey = decoder.decodeGrey(png);
    assertThat(grey.get(0, 0, 0)).isZero();
    assertThat(grey.get(1, 0, 0)).isEqualTo(GreyLevels.pngRgbToGrey(255, 128, 64));

    BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        rgb.setRGB(x, y, 0x806040);
      }
    }
    Path jpg = dir.resolve("colour.jpg");
    ImageIO.write(rgb, "jpeg", jpg.toFile());
    UInt8Image fromJpeg = decoder.decodeGrey(jpg);
    assertThat(fromJpeg.get(8, 8, 0)).isCloseTo(GreyLevels.rgbToGrey(0x80, 0x60, 0x40), org.assertj.core.data.Offset.offset(2));
  }

  @Test
  void sixteenBitGreyKeepsTheHighByte() {
    assertThat(GreyLevels.from16(0xFFFF)).isEqualTo(255);
    assertThat(GreyLevels.from16(0x80FF)).isEqualTo(128);
    assertThat(GreyLevels.to8(1, 1)).isEqualTo(255);
    assertThat(GreyLevels.to8(2, 2)).isEqualTo(170);
    assertThat(GreyLevels.pngRgbToGrey(5, 6, 7)).isEqualTo(5);
    assertThat(GreyLevels.rgbToGrey(5, 6, 7)).isEqualTo(6);
  }

  @Test
  void pixelLimitIsCheckedBeforeDecodingAndNamesTheFile() {
    Path file = PreprocessFixture.file("gray16");
    assertThatThrownBy(() -> new ImageDecoder(512L * 512 - 1).decodeGrey(file))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("512x512");
    assertThat(new ImageDecoder(512L * 512).decodeGrey(file).width()).isEqualTo(512);
  }

  @Test
  void errorsNameTheFile(@TempDir Path dir) throws IOException {
    Path junk = dir.resolve("junk.png");
    Files.writeString(junk, "not an image");
    assertThatThrownBy(() -> decoder.decodeGrey(junk)).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(junk.toString());
    Path truncated = dir.resolve("truncated.png");
    byte[] full = Files.readAllBytes(PreprocessFixture.file("gray8_tall"));
    Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 3));
    assertThatThrownBy(() -> decoder.decodeGrey(truncated)).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(truncated.toString());
    Path missing = dir.resolve("missing.png");
    assertThatThrownBy(() -> decoder.decodeGrey(missing)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }
}
