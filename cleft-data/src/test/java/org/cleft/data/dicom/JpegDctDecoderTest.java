package org.cleft.data.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The sequential DCT decoder behind 12-bit JPEG Extended, on what the 12-bit DICOM fixture does not exercise: restart
 * intervals, a partial last block row and column, damage. The 12-bit path is checked against pydicom/GDCM in
 * {@code InteropDicomTest}; here an 8-bit stream is compared with the JDK's reader (IJG's decoder).
 */
class JpegDctDecoderTest {
  private static final Path FILE = Path.of("grey8_restart3.jpg");

  /** libjpeg-turbo's {@code cjpeg -grayscale -restart 3B -quality 90}, 257x301 pixels, 53 restart markers. */
  private static byte[] restartJpeg() throws Exception {
    try (InputStream in = JpegDctDecoderTest.class.getResourceAsStream("jpeg/grey8_restart3.jpg")) {
      return in.readAllBytes();
    }
  }

  @Test
  void restartIntervalsAndPartialBlocksDecodeAsTheJdkDecodes() throws Exception {
    byte[] jpeg = restartJpeg();
    BufferedImage jdk = ImageIO.read(new ByteArrayInputStream(jpeg));
    JpegDctDecoder.Frame frame = JpegDctDecoder.decode(jpeg, FILE, Long.MAX_VALUE);
    assertThat(frame.width()).isEqualTo(257);
    assertThat(frame.height()).isEqualTo(301);
    assertThat(frame.precision()).isEqualTo(8);
    int worst = 0;
    for (int y = 0; y < frame.height(); y++) {
      for (int x = 0; x < frame.width(); x++) {
        worst = Math.max(worst, Math.abs(frame.samples()[y * frame.width() + x] - jdk.getRaster().getSample(x, y, 0)));
      }
    }
    assertThat(worst).as("largest difference from the JDK's decoder (IJG's integer IDCT)").isLessThanOrEqualTo(1);
  }

  @Test
  void aTruncatedOrDamagedStreamIsNamedNotFilled() throws Exception {
    byte[] jpeg = restartJpeg();
    byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
    assertThatThrownBy(() -> JpegDctDecoder.decode(cut, FILE, Long.MAX_VALUE))
        .isInstanceOf(DicomFormatException.class).hasMessageContaining("grey8_restart3.jpg");
    assertThatThrownBy(() -> JpegDctDecoder.decode(jpeg, FILE, 1000)).isInstanceOf(DicomFormatException.class)
        .hasMessageContaining("257x301");
  }
}
