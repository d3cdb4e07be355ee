package org.cleft.data.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageReadException;
import org.cleft.api.spi.ImagePreprocessor;
import org.cleft.data.dicom.DicomReader;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.image.UInt8Image;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.ImageTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image preprocessing behind the one-call API is the CLI's: the same decoders and evaluation pipeline. */
class FilePreprocessorTest {
  private static final String INTEROP = "/org/cleft/data/dicom/interop/";

  @Test
  void serviceLoaderFindsCleftDatasPreprocessor() {
    assertThat(ImagePreprocessor.find()).isInstanceOf(FilePreprocessor.class);
  }

  @Test
  void filesAreDecodedByTheirBytesAsTheReadersDecodeThem(@TempDir Path tmp) throws Exception {
    Path dicom = copy("mono16_jpeg_lossless.dcm", tmp.resolve("no-extension"));
    Path rgbDicom = copy("rgb8_rle.dcm", tmp.resolve("colour.img"));
    Path png = tmp.resolve("image.dat");
    ImageIO.write(pattern(90, 70), "png", png.toFile());
    FilePreprocessor preprocessor = new FilePreprocessor();
    assertThat(preprocessor.decode(dicom)).isEqualTo(new DicomReader().read(dicom));
    assertThat(preprocessor.decode(rgbDicom).channels()).isEqualTo(3);
    assertThat(preprocessor.decode(png)).isEqualTo(new ImageDecoder().decodeGrey(png));
  }

  @Test
  void batchesAreTheEvaluationPipelinesTensorsInOrder(@TempDir Path tmp) throws Exception {
    Path dicom = copy("mono8_jpeg_baseline.dcm", tmp.resolve("a.dcm"));
    FilePreprocessor preprocessor = new FilePreprocessor();
    UInt8Image first = preprocessor.decode(dicom);
    UInt8Image second = preprocessor.fromBufferedImage(pattern(120, 100));
    ImageBatch batch = preprocessor.evaluationBatch(List.of(first, second), 64);
    ImagePipeline pipeline = ImagePipeline.evaluation(64);
    ImageTensor a = pipeline.apply(first, new SplittableRandom(1));
    ImageTensor b = pipeline.apply(second, new SplittableRandom(2));
    assertThat(batch.batch()).isEqualTo(2);
    assertThat(batch.height()).isEqualTo(64);
    assertThat(batch.channels()).isEqualTo(a.channels());
    assertThat(batch.slice(0, 1).pixels()).isEqualTo(a.data());
    assertThat(batch.slice(1, 2).pixels()).isEqualTo(b.data());
  }

  @Test
  void aJavaImageBecomesTheGreyItsPngDecodesTo(@TempDir Path tmp) throws Exception {
    BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    SplittableRandom random = new SplittableRandom(3);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        rgb.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    Path png = tmp.resolve("rgb.png");
    ImageIO.write(rgb, "png", png.toFile());
    assertThat(new FilePreprocessor().fromBufferedImage(rgb)).isEqualTo(new ImageDecoder().decodeGrey(png));
  }

  @Test
  void whatIsNotAnImageIsNamedOnce(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("notes.png"), "not an image");
    Path report = copy("basic_text_sr.dcm", tmp.resolve("report.dcm"));
    Path missing = tmp.resolve("missing.png");
    FilePreprocessor preprocessor = new FilePreprocessor();
    for (Path bad : List.of(text, report, missing)) {
      assertThatThrownBy(() -> preprocessor.decode(bad)).isInstanceOf(ImageReadException.class)
          .hasMessageStartingWith(bad + ": ")
          .satisfies(e -> assertThat(e.getMessage().indexOf(bad.toString(), 1)).as(e.getMessage()).isEqualTo(-1))
          .satisfies(e -> assertThat(((ImageReadException) e).file()).isEqualTo(bad));
    }
    assertThatThrownBy(() -> preprocessor.decode(report)).hasMessageContaining("no pixel data");
  }

  private static Path copy(String fixture, Path to) throws Exception {
    try (InputStream in = FilePreprocessorTest.class.getResourceAsStream(INTEROP + fixture)) {
      Files.copy(in, to);
    }
    return to;
  }

  private static BufferedImage pattern(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x * 3 + y * 2) & 0xFF);
      }
    }
    return image;
  }
}
