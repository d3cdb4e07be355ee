package org.cleft.data.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cleft.data.image.ReadWarnings;

/**
 * Reassembles one frame of encapsulated JPEG (baseline, extended, lossless) or JPEG 2000 pixel data and
 * decodes it with an ImageIO reader: the JDK's for baseline, TwelveMonkeys' for extended and lossless JPEG,
 * jai-imageio's for JPEG 2000.
 */
final class JpegFrames {
  private JpegFrames() {
  }

  static float[] decodeFrame(DicomDataset ds, int index, int frames, int cols, int rows, int samples,
      long maxPixels) {
    boolean j2k = ds.transferSyntax().codec() == TransferSyntax.Codec.JPEG_2000;
    byte[] frame = EncapsulatedFrames.frame(ds, index, frames, true);
    if (j2k) {
      frame = J2kTileParts.repaired(frame);
    }
    String format = j2k ? "jpeg2000" : "jpeg";
    List<ImageReader> readers = new ArrayList<>();
    ImageIO.getImageReadersByFormatName(format).forEachRemaining(readers::add);
    // the JDK's reader first when present (the one the baseline tests were checked with), then the others
    // (TwelveMonkeys for extended and lossless JPEG, jai-imageio for JPEG 2000)
    readers.sort(Comparator.comparing(r -> r.getClass().getName().startsWith("com.sun.imageio.") ? 0 : 1));
    if (readers.isEmpty()) {
      throw new IllegalStateException("no " + format + " ImageReader in this JVM (needed for " + ds.file() + ")");
    }
    List<String> failures = new ArrayList<>();
    try {
      for (ImageReader reader : readers) {
        try {
          return decode(ds, reader, frame, cols, rows, samples, maxPixels);
        } catch (DicomFormatException e) {
          throw e;
        } catch (IOException | RuntimeException e) {
          failures.add(reader.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    } finally {
      readers.forEach(ImageReader::dispose);
    }
    int precision = ds.integer(DicomTag.BITS_STORED).orElse(8);
    if (!j2k && precision > 8 && ds.transferSyntax() != TransferSyntax.JPEG_LOSSLESS
        && ds.transferSyntax() != TransferSyntax.JPEG_LOSSLESS_SV1) {
      // 12-bit lossy JPEG (Process 4): the JDK's and TwelveMonkeys' readers stop at 8-bit DCT precision, and no
      // other Java decoder is published on Maven Central
      return twelveBit(ds, frame, cols, rows, samples, maxPixels);
    }
    throw new DicomFormatException(ds.file(), "cannot decode the " + TransferSyntax.nameOf(ds.transferSyntax().uid())
        + " frame of (7FE0,0010) PixelData: " + String.join("; ", failures));
  }

  private static float[] twelveBit(DicomDataset ds, byte[] frame, int cols, int rows, int samples, long maxPixels) {
    if (samples != 1) {
      throw new UnsupportedTransferSyntaxException(ds.file(), ds.transferSyntax().uid(), "colour lossy JPEG above "
          + "8 bits is not decoded; decompress first, e.g. with dcmtk's 'dcmdjpeg in.dcm out.dcm'");
    }
    JpegDctDecoder.Frame f = JpegDctDecoder.decode(frame, ds.file(), maxPixels);
    if (f.width() != cols || f.height() != rows) {
      throw new DicomFormatException(ds.file(), "compressed frame is " + f.width() + "x" + f.height()
          + " but Columns x Rows say " + cols + "x" + rows);
    }
    float[] out = new float[f.samples().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.samples()[i];
    }
    return out;
  }

  private static float[] decode(DicomDataset ds, ImageReader reader, byte[] frame, int cols, int rows, int samples,
      long maxPixels) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(frame))) {
      reader.setInput(in);
      // a truncated frame is only a warning to the JDK's reader (it fills grey); here it is an error
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
      if (pixels > maxPixels) {
        throw new DicomFormatException(ds.file(), "compressed frame of " + reader.getWidth(0) + "x"
            + reader.getHeight(0) + " pixels exceeds the limit of " + maxPixels);
      }
      if (reader.getWidth(0) != cols || reader.getHeight(0) != rows) {
        throw new DicomFormatException(ds.file(), "compressed frame is " + reader.getWidth(0) + "x"
            + reader.getHeight(0) + " but Columns x Rows say " + cols + "x" + rows);
      }
      float[] values = samples(reader.read(0), samples);
      List<String> damage = ReadWarnings.damage(warnings);
      if (!damage.isEmpty()) {
        throw new DicomFormatException(ds.file(), "damaged compressed pixel data: " + String.join("; ", damage));
      }
      return values;
    }
  }

  private static float[] samples(BufferedImage image, int samples) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] out = new float[w * h * samples];
    Raster raster = image.getRaster();
    if (samples == 1 && raster.getNumBands() == 1) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[y * w + x] = raster.getSample(x, y, 0);
        }
      }
      return out;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        if (samples == 1) {
          out[y * w + x] = Math.round(0.299f * r + 0.587f * g + 0.114f * b);
        } else {
          int i = (y * w + x) * 3;
          out[i] = r;
          out[i + 1] = g;
          out[i + 2] = b;
        }
      }
    }
    return out;
  }
}
