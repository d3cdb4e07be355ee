package org.cleft.data.dicom;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Turns a dataset's first frame into modality-LUT values: native pixel data here, JPEG in {@link JpegFrames}. */
final class PixelDecoder {
  private final long maxPixels;
  private final int frame;

  PixelDecoder(long maxPixels, int frame) {
    this.maxPixels = maxPixels;
    this.frame = frame;
  }

  DicomPixels decode(DicomDataset ds) {
    Path file = ds.file();
    if (!ds.contains(DicomTag.PIXEL_DATA)) {
      String sop = ds.string(DicomTag.SOP_CLASS_UID).orElse("not given");
      throw new DicomFormatException(file, "no pixel data (SOP class " + sop + "): not an image");
    }
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
    boolean palette = samples == 1 && photometric.equals("PALETTE COLOR");
    if (samples == 1 && !palette && !photometric.equals("MONOCHROME1") && !photometric.equals("MONOCHROME2")) {
      // a palette image's samples are indices into colour tables: read as grey they would be a wrong image
      throw new DicomFormatException(file, "photometric interpretation " + photometric + " is not decoded (its "
          + "samples are not grey levels); convert it to RGB or grey first");
    }
    int frames = Math.max(1, ds.integer(DicomTag.NUMBER_OF_FRAMES).orElse(1));
    if (frame >= frames) {
      throw new DicomFormatException(file, "frame " + frame + " asked for, but the image has " + frames
          + " frame" + (frames == 1 ? "" : "s") + " (NumberOfFrames)");
    }
    float[] values;
    switch (ds.transferSyntax().codec()) {
      case NATIVE -> {
        DicomElement pixelData = ds.element(DicomTag.PIXEL_DATA.tag()).orElseThrow();
        values = nativeFrame(ds, littleEndianSamples(ds, pixelData), pixelData.offset(), frame, rows, cols, samples,
            photometric,
            ds.integer(DicomTag.PLANAR_CONFIGURATION).orElse(0));
      }
      case RLE -> values = nativeFrame(ds, RleFrames.decodeFrame(ds, frame, frames, rows, cols, samples,
          required(ds, DicomTag.BITS_ALLOCATED)), -1, 0, rows, cols, samples, photometric, 0);
      case JPEG_LS -> {
        values = jpegLsFrame(ds, frame, frames, cols, rows, samples);
        if (samples == 1) {
          signExtend(ds, values);
        }
      }
      default -> {
        values = JpegFrames.decodeFrame(ds, frame, frames, cols, rows, samples, maxPixels);
        if (samples == 1) {
          signExtend(ds, values);
        }
      }
    }
    // JPEG-LS keeps the samples as stored, like native and RLE data: a YBR_FULL image is still YCbCr
    boolean plain = ds.transferSyntax().codec() == TransferSyntax.Codec.NATIVE
        || ds.transferSyntax().codec() == TransferSyntax.Codec.RLE
        || ds.transferSyntax().codec() == TransferSyntax.Codec.JPEG_LS;
    if (samples == 3 && plain && (photometric.equals("YBR_FULL") || photometric.equals("YBR_FULL_422"))) {
      toRgb(values); // JPEG and JPEG 2000 readers undo their colour transforms themselves
    }
    if (palette) {
      return new DicomPixels(cols, rows, 3, Palette.of(ds).apply(values), "RGB", Optional.empty());
    }
    if (samples == 3) {
      return new DicomPixels(cols, rows, 3, values, "RGB", Optional.empty());
    }
    Optional<LookupTable> modality = LookupTable.of(ds, DicomTag.MODALITY_LUT_SEQUENCE);
    if (modality.isPresent()) {
      for (int i = 0; i < values.length; i++) {
        values[i] = modality.get().lookup(values[i]);
      }
    } else {
      rescale(ds, values);
    }
    return new DicomPixels(cols, rows, 1, values, photometric, window(ds),
        LookupTable.of(ds, DicomTag.VOI_LUT_SEQUENCE));
  }

  private float[] jpegLsFrame(DicomDataset ds, int frame, int frames, int cols, int rows, int samples) {
    JpegLsDecoder.Frame f = JpegLsDecoder.decode(EncapsulatedFrames.frame(ds, frame, frames, true), ds.file(),
        maxPixels);
    if (f.width() != cols || f.height() != rows || f.components() != samples) {
      throw new DicomFormatException(ds.file(), "JPEG-LS frame is " + f.width() + "x" + f.height() + " with "
          + f.components() + " components but Columns x Rows say " + cols + "x" + rows + " with SamplesPerPixel "
          + samples);
    }
    int[] s = f.samples();
    float[] out = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i];
    }
    return out;
  }

  /**
   * Native pixel data of a big endian file with its samples little endian. The parser swapped the value by its VR
   * (OW in 2-byte words, OB not at all); samples of another width (32-bit samples in OW, 16-bit in OB) are put back
   * and swapped by the sample width.
   */
  private static byte[] littleEndianSamples(DicomDataset ds, DicomElement pixelData) {
    byte[] v = pixelData.value();
    int allocated = ds.integer(DicomTag.BITS_ALLOCATED).orElse(8);
    if (!ds.transferSyntax().bigEndian() || allocated <= 8) {
      return v;
    }
    int swapped = switch (pixelData.vr()) {
      case "OW" -> 2;
      case "OL", "OF" -> 4;
      case "OD" -> 8;
      default -> 1;
    };
    int width = allocated / 8;
    if (swapped == width) {
      return v;
    }
    byte[] out = v.clone();
    DicomParser.reverseEach(out, swapped);
    DicomParser.reverseEach(out, width);
    return out;
  }


  /** Values decoded from a codec's unsigned samples, read as two's complement of BitsStored bits when signed. */
  private static void signExtend(DicomDataset ds, float[] values) {
    if (ds.integer(DicomTag.PIXEL_REPRESENTATION).orElse(0) != 1) {
      return;
    }
    int stored = ds.integer(DicomTag.BITS_STORED).orElse(ds.integer(DicomTag.BITS_ALLOCATED).orElse(16));
    double half = Math.pow(2, stored - 1);
    double full = Math.pow(2, stored);
    for (int i = 0; i < values.length; i++) {
      if (values[i] >= half) {
        values[i] -= (float) full;
      }
    }
  }

  /** YCbCr (full range, ITU-R BT.601, as PS3.3 C.7.6.3.1.2 defines YBR_FULL) to RGB, in place, interleaved. */
  private static void toRgb(float[] v) {
    for (int i = 0; i + 2 < v.length; i += 3) {
      double y = v[i];
      double cb = v[i + 1] - 128;
      double cr = v[i + 2] - 128;
      v[i] = clamp(y + 1.402 * cr);
      v[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
      v[i + 2] = clamp(y + 1.772 * cb);
    }
  }

  private static float clamp(double x) {
    return (float) Math.max(0, Math.min(255, Math.round(x)));
  }

  private float[] nativeFrame(DicomDataset ds, byte[] data, long offset, int frameIndex, int rows, int cols,
      int samples, String photometric, int planar) {
    Path file = ds.file();
    int allocated = required(ds, DicomTag.BITS_ALLOCATED);
    int stored = ds.integer(DicomTag.BITS_STORED).orElse(allocated);
    int highBit = ds.integer(DicomTag.HIGH_BIT).orElse(stored - 1);
    boolean signed = ds.integer(DicomTag.PIXEL_REPRESENTATION).orElse(0) == 1;
    if ((allocated != 1 && allocated != 8 && allocated != 16 && allocated != 32) || stored < 1 || stored > allocated
        || highBit < stored - 1 || highBit >= allocated) {
      throw new DicomFormatException(file, "unsupported bit layout: BitsAllocated " + allocated + ", BitsStored "
          + stored + ", HighBit " + highBit + " (supported: 1, 8, 16 or 32 bits allocated)");
    }
    boolean subsampled = samples == 3 && photometric.equals("YBR_FULL_422");
    if (subsampled && allocated != 8) {
      throw new DicomFormatException(file, "unsupported YBR_FULL_422 image with BitsAllocated " + allocated
          + " (only 8)");
    }
    // colour of more than 8 bits: cleft's RGB is 8-bit, so each sample by the top byte of its BitsStored
    int colourShift = samples == 3 && stored > 8 ? stored - 8 : 0;
    int count = rows * cols * samples;
    long needed = allocated == 1 ? (count + 7L) / 8 : subsampled ? 2L * rows * cols : (long) count * (allocated / 8);
    if (frameIndex > 0 && allocated == 1 && ((long) count * frameIndex) % 8 != 0) {
      throw new DicomFormatException(file, "frame " + frameIndex + " of 1-bit pixel data does not start on a byte");
    }
    long start = allocated == 1 ? (long) count * frameIndex / 8 : needed * frameIndex;
    if (data.length < start + needed) {
      throw new DicomFormatException(file, Math.max(offset, 0), "truncated (7FE0,0010) PixelData: "
          + data.length + " bytes, frame " + frameIndex + " of " + cols + "x" + rows + "x" + samples + " at "
          + allocated + " bits" + (subsampled ? " (YBR_FULL_422: 2 bytes per pixel)" : "") + " needs bytes up to "
          + (start + needed));
    }
    if (start > 0) {
      data = Arrays.copyOfRange(data, (int) start, (int) (start + needed));
    }
    if (subsampled) {
      return expand422(data, rows, cols);
    }
    int shift = highBit + 1 - stored;
    long mask = stored == 64 ? -1L : (1L << stored) - 1;
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      long raw = switch (allocated) {
        case 1 -> (data[i >> 3] >> (i & 7)) & 1;
        case 8 -> data[i] & 0xFF;
        case 16 -> (data[2 * i] & 0xFF) | (data[2 * i + 1] & 0xFF) << 8;
        default -> (data[4 * i] & 0xFFL) | (data[4 * i + 1] & 0xFFL) << 8 | (data[4 * i + 2] & 0xFFL) << 16
            | (data[4 * i + 3] & 0xFFL) << 24;
      };
      long v = (raw >> shift) & mask;
      if (signed && (v & (1L << (stored - 1))) != 0) {
        v -= 1L << stored;
      }
      out[planar == 1 && samples == 3 ? interleavedIndex(i, rows * cols) : i] = v >> colourShift;
    }
    return out;
  }

  /** Uncompressed YBR_FULL_422: Y0 Y1 Cb Cr for each pair of pixels in a row, to interleaved YCbCr. */
  private static float[] expand422(byte[] data, int rows, int cols) {
    float[] out = new float[rows * cols * 3];
    int in = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c += 2) {
        int y0 = data[in] & 0xFF;
        int y1 = data[in + 1] & 0xFF;
        int cb = data[in + 2] & 0xFF;
        int cr = data[in + 3] & 0xFF;
        in += 4;
        int p = (r * cols + c) * 3;
        out[p] = y0;
        out[p + 1] = cb;
        out[p + 2] = cr;
        if (c + 1 < cols) {
          out[p + 3] = y1;
          out[p + 4] = cb;
          out[p + 5] = cr;
        }
      }
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
