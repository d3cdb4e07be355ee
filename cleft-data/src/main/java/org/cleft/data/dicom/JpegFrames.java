package org.cleft.data.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cleft.data.image.ReadWarnings;

/** Reassembles the first frame of encapsulated baseline JPEG pixel data and decodes it with ImageIO. */
final class JpegFrames {
  private JpegFrames() {
  }

  static float[] decodeFirstFrame(DicomDataset ds, int cols, int rows, int samples, long maxPixels) {
    byte[] frame = firstFrame(ds);
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    if (!readers.hasNext()) {
      throw new IllegalStateException("no JPEG ImageReader in this JVM (needed for " + ds.file() + ")");
    }
    // the JDK's reader when present (TwelveMonkeys' also registers for JPEG): the one the tests are checked with
    ImageReader reader = readers.next();
    while (!reader.getClass().getName().startsWith("com.sun.imageio.") && readers.hasNext()) {
      ImageReader next = readers.next();
      reader.dispose();
      reader = next;
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(frame))) {
      reader.setInput(in);
      // a truncated frame is only a warning to the JDK's reader (it fills grey); here it is an error
      java.util.List<String> warnings = new java.util.ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
      if (pixels > maxPixels) {
        throw new DicomFormatException(ds.file(), "JPEG frame of " + reader.getWidth(0) + "x" + reader.getHeight(0)
            + " pixels exceeds the limit of " + maxPixels);
      }
      if (reader.getWidth(0) != cols || reader.getHeight(0) != rows) {
        throw new DicomFormatException(ds.file(), "JPEG frame is " + reader.getWidth(0) + "x" + reader.getHeight(0)
            + " but Columns x Rows say " + cols + "x" + rows);
      }
      float[] values = samples(reader.read(0), samples);
      java.util.List<String> damage = ReadWarnings.damage(warnings);
      if (!damage.isEmpty()) {
        throw new DicomFormatException(ds.file(), "damaged JPEG pixel data: " + String.join("; ", damage));
      }
      return values;
    } catch (IOException | RuntimeException e) {
      if (e instanceof DicomFormatException d) {
        throw d;
      }
      throw new DicomFormatException(ds.file(), "cannot decode the baseline JPEG frame of (7FE0,0010) PixelData", e);
    } finally {
      reader.dispose();
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

  /**
   * The first frame's bytes: fragments up to the second basic-offset-table entry when the table is
   * present, otherwise fragments up to the first one that ends a JPEG stream (EOI marker).
   */
  static byte[] firstFrame(DicomDataset ds) {
    List<byte[]> fragments = ds.fragments();
    if (fragments.isEmpty()) {
      throw new DicomFormatException(ds.file(), "encapsulated (7FE0,0010) PixelData has no fragments");
    }
    long[] offsets = ds.frameOffsets();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long position = 0;
    for (byte[] f : fragments) {
      if (offsets.length > 1 && position >= offsets[1]) {
        break;
      }
      out.write(f, 0, f.length);
      position += 8 + f.length;
      if (offsets.length <= 1 && endsWithEoi(f)) {
        break;
      }
    }
    return out.toByteArray();
  }

  private static boolean endsWithEoi(byte[] f) {
    int end = f.length;
    while (end > 0 && f[end - 1] == 0) {
      end--;
    }
    return end >= 2 && (f[end - 2] & 0xFF) == 0xFF && (f[end - 1] & 0xFF) == 0xD9;
  }
}
