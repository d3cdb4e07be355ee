package org.cleft.data.dicom;

import java.nio.file.Path;
import java.util.Optional;

/** Turns a dataset's first frame into rescaled values: native pixel data here, JPEG in {@link JpegFrames}. */
final class PixelDecoder {
  private final long maxPixels;

  PixelDecoder(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  DicomPixels decode(DicomDataset ds) {
    Path file = ds.file();
    int rows = required(ds, DicomTag.ROWS);
    int cols = required(ds, DicomTag.COLUMNS);
    int samples = ds.integer(DicomTag.SAMPLES_PER_PIXEL).orElse(1);
    if (rows <= 0 || cols <= 0 || (samples != 1 && samples != 3)) {
      throw new DicomFormatException(file, "unsupported image geometry: Rows " + rows + ", Columns " + cols
          + ", SamplesPerPixel " + samples + " (expected positive sizes and 1 or 3 samples)");
    }
    long pixels = (long) rows * cols;
    if (pixels > maxPixels) {
      throw new DicomFormatException(file, "image of " + cols + "x" + rows + " = " + pixels
          + " pixels exceeds the limit of " + maxPixels + " (DicomReader maxPixels; raise it for larger images)");
    }
    String photometric = ds.string(DicomTag.PHOTOMETRIC_INTERPRETATION).orElse(samples == 3 ? "RGB" : "MONOCHROME2");
    if (!ds.contains(DicomTag.PIXEL_DATA)) {
      throw new DicomFormatException(file, "no (7FE0,0010) PixelData element");
    }
    float[] values = ds.encapsulated()
        ? JpegFrames.decodeFirstFrame(ds, cols, rows, samples, maxPixels)
        : nativeFrame(ds, rows, cols, samples);
    if (samples == 1) {
      rescale(ds, values);
    }
    int channels = samples;
    return new DicomPixels(cols, rows, channels, values, photometric, samples == 1 ? window(ds) : Optional.empty());
  }

  private float[] nativeFrame(DicomDataset ds, int rows, int cols, int samples) {
    Path file = ds.file();
    int allocated = required(ds, DicomTag.BITS_ALLOCATED);
    int stored = ds.integer(DicomTag.BITS_STORED).orElse(allocated);
    int highBit = ds.integer(DicomTag.HIGH_BIT).orElse(stored - 1);
    boolean signed = ds.integer(DicomTag.PIXEL_REPRESENTATION).orElse(0) == 1;
    int planar = ds.integer(DicomTag.PLANAR_CONFIGURATION).orElse(0);
    if ((allocated != 8 && allocated != 16) || stored < 1 || stored > allocated || highBit < stored - 1
        || highBit >= allocated) {
      throw new DicomFormatException(file, "unsupported bit layout: BitsAllocated " + allocated + ", BitsStored "
          + stored + ", HighBit " + highBit + " (supported: 8 or 16 bits allocated)");
    }
    if (samples == 3 && allocated != 8) {
      throw new DicomFormatException(file, "unsupported colour image with BitsAllocated " + allocated + " (only 8)");
    }
    DicomElement pixelData = ds.element(DicomTag.PIXEL_DATA.tag()).orElseThrow();
    byte[] data = pixelData.value();
    int count = rows * cols * samples;
    long needed = (long) count * (allocated / 8);
    if (data.length < needed) {
      throw new DicomFormatException(file, pixelData.offset(), "truncated (7FE0,0010) PixelData: "
          + data.length + " bytes, the first frame of " + cols + "x" + rows + "x" + samples + " at "
          + allocated + " bits needs " + needed);
    }
    int shift = highBit + 1 - stored;
    int mask = stored == 32 ? -1 : (1 << stored) - 1;
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      int raw = allocated == 8 ? data[i] & 0xFF : (data[2 * i] & 0xFF) | (data[2 * i + 1] & 0xFF) << 8;
      int v = (raw >> shift) & mask;
      if (signed && (v & (1 << (stored - 1))) != 0) {
        v -= 1 << stored;
      }
      out[planar == 1 && samples == 3 ? interleavedIndex(i, rows * cols) : i] = v;
    }
    return out;
  }

  /** Maps index i of planar data (RRR..GGG..BBB) to its interleaved position (RGBRGB..). */
  private static int interleavedIndex(int i, int plane) {
    return (i % plane) * 3 + i / plane;
  }

  private static void rescale(DicomDataset ds, float[] values) {
    double[] slope = ds.decimals(DicomTag.RESCALE_SLOPE);
    double[] intercept = ds.decimals(DicomTag.RESCALE_INTERCEPT);
    double m = slope.length > 0 && slope[0] != 0 ? slope[0] : 1;
    double b = intercept.length > 0 ? intercept[0] : 0;
    if (m == 1 && b == 0) {
      return;
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (values[i] * m + b);
    }
  }

  private static Optional<VoiWindow> window(DicomDataset ds) {
    double[] c = ds.decimals(DicomTag.WINDOW_CENTER);
    double[] w = ds.decimals(DicomTag.WINDOW_WIDTH);
    if (c.length == 0 || w.length == 0 || !(w[0] >= 1)) {
      return Optional.empty();
    }
    return Optional.of(new VoiWindow(c[0], w[0]));
  }

  private static int required(DicomDataset ds, DicomTag tag) {
    return ds.integer(tag).orElseThrow(() -> new DicomFormatException(ds.file(),
        "missing required element " + DicomTag.describe(tag.tag())));
  }
}
