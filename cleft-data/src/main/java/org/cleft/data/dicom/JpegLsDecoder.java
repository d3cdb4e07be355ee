package org.cleft.data.dicom;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A JPEG-LS decoder (ITU-T T.87 | ISO/IEC 14495-1), lossless and near-lossless: the regular mode with its 365
 * contexts, the run mode and run interruption, Golomb codes with the length limit, marker-stuffed bit streams, preset
 * parameters ({@code LSE} id 1), and every interleave mode (none, line, sample). Written for DICOM's JPEG-LS transfer
 * syntaxes because no pure-Java decoder is published on Maven Central; checked against GDCM (CharLS) through pydicom
 * on files dcmtk's {@code dcmcjpls} wrote ({@code InteropDicomTest}). Mapping tables ({@code LSE} ids 2 and 3) and
 * restart intervals are refused by name. Not thread-safe: one instance per frame.
 */
final class JpegLsDecoder {
  private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10,
      11, 12, 13, 14, 15};
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOF55 = 0xF7;
  private static final int LSE = 0xF8;
  private static final int SOS = 0xDA;
  private static final int DRI = 0xDD;

  private final byte[] data;
  private final Path file;
  private int pos;

  // frame header
  private int precision;
  private int width;
  private int height;
  private int components;
  private int[] componentIds;
  private int[] samples; // pixel-interleaved, components per pixel
  private final boolean[] decoded = new boolean[256];

  // preset parameters (0: default)
  private int presetMaxVal;
  private int presetT1;
  private int presetT2;
  private int presetT3;
  private int presetReset;

  // scan parameters
  private int maxVal;
  private int near;
  private int t1;
  private int t2;
  private int t3;
  private int reset;
  private int range;
  private int qbpp;
  private int limit;
  private int[] ctxA;
  private int[] ctxB;
  private int[] ctxC;
  private int[] ctxN;
  private final int[] runA = new int[2];
  private final int[] runN = new int[2];
  private final int[] runNn = new int[2];

  // the run index of the line being decoded (one per component in line-interleaved scans)
  private int runIndex;

  // bit reader
  private int bitBuffer;
  private int bitsLeft;
  private boolean afterFf;

  private JpegLsDecoder(byte[] data, Path file) {
    this.data = data;
    this.file = file;
  }

  /** A decoded frame: {@code height * width * components} samples, pixel by pixel, components interleaved. */
  record Frame(int width, int height, int components, int precision, int[] samples) {}

  /**
   * Decodes one JPEG-LS stream.
   *
   * @param data the stream, from SOI to EOI
   * @param file the DICOM file, for messages
   * @param maxPixels the most pixels to allocate
   * @return the samples
   * @throws DicomFormatException naming the file when the stream is malformed or uses what is not decoded here
   */
  static Frame decode(byte[] data, Path file, long maxPixels) {
    return new JpegLsDecoder(data, file).run(maxPixels);
  }

  private Frame run(long maxPixels) {
    if (u8() != 0xFF || u8() != SOI) {
      throw fail("JPEG-LS frame does not start with SOI (FFD8)");
    }
    while (true) {
      int marker = nextMarker();
      switch (marker) {
        case SOF55 -> frameHeader(maxPixels);
        case LSE -> presetParameters();
        case DRI -> {
          int length = u16();
          int interval = length >= 4 ? u16() : 0;
          pos += Math.max(0, length - 4);
          if (interval != 0) {
            throw fail("JPEG-LS restart intervals (DRI " + interval + ") are not decoded; decompress first, e.g. "
                + "with dcmtk's 'dcmdjpls in.dcm out.dcm'");
          }
        }
        case SOS -> scan();
        case EOI -> {
          return finish();
        }
        default -> {
          if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            throw fail("not a JPEG-LS stream: frame marker FF" + hex(marker) + " (JPEG-LS frames are SOF55, FFF7)");
          }
          pos += u16() - 2; // APPn, COM and others: skipped
        }
      }
    }
  }

  private Frame finish() {
    if (samples == null) {
      throw fail("JPEG-LS stream has no frame header (SOF55)");
    }
    for (int c = 0; c < components; c++) {
      if (!decoded[componentIds[c]]) {
        throw fail("JPEG-LS stream ends before component " + componentIds[c] + " was decoded");
      }
    }
    return new Frame(width, height, components, precision, samples);
  }

  private void frameHeader(long maxPixels) {
    int length = u16();
    precision = u8();
    height = u16();
    width = u16();
    components = u8();
    if (precision < 2 || precision > 16) {
      throw fail("JPEG-LS sample precision " + precision + " (2 to 16 bits)");
    }
    if (width == 0 || height == 0) {
      throw fail("JPEG-LS frame of " + width + "x" + height + " (a size in an LSE segment is not decoded)");
    }
    if (components < 1 || components > 4 || length != 8 + 3 * components) {
      throw fail("JPEG-LS frame header of " + components + " components and length " + length);
    }
    if ((long) width * height > maxPixels) {
      throw fail("JPEG-LS frame of " + width + "x" + height + " pixels exceeds the limit of " + maxPixels);
    }
    componentIds = new int[components];
    for (int c = 0; c < components; c++) {
      componentIds[c] = u8();
      int sampling = u8();
      u8();
      if (sampling != 0x11) {
        throw fail("JPEG-LS component " + componentIds[c] + " is subsampled (" + hex(sampling) + "); only 1x1 is "
            + "decoded");
      }
    }
    samples = new int[width * height * components];
  }

  private void presetParameters() {
    int length = u16();
    int end = pos + length - 2;
    int id = u8();
    if (id != 1) {
      throw fail("JPEG-LS " + (id == 2 || id == 3 ? "mapping tables" : "preset segment " + id) + " (LSE id " + id
          + ") are not decoded; decompress first, e.g. with dcmtk's 'dcmdjpls in.dcm out.dcm'");
    }
    presetMaxVal = u16();
    presetT1 = u16();
    presetT2 = u16();
    presetT3 = u16();
    presetReset = u16();
    pos = end;
  }

  private void scan() {
    if (samples == null) {
      throw fail("JPEG-LS scan (SOS) before the frame header (SOF55)");
    }
    int length = u16();
    int count = u8();
    if (count < 1 || count > components || length != 6 + 2 * count) {
      throw fail("JPEG-LS scan header of " + count + " components and length " + length);
    }
    int[] index = new int[count];
    for (int i = 0; i < count; i++) {
      int id = u8();
      int mapping = u8();
      index[i] = -1;
      for (int c = 0; c < components; c++) {
        if (componentIds[c] == id) {
          index[i] = c;
        }
      }
      if (index[i] < 0) {
        throw fail("JPEG-LS scan names component " + id + ", which the frame does not have");
      }
      if (mapping != 0) {
        throw fail("JPEG-LS mapping table " + mapping + " is not decoded; decompress first, e.g. with dcmtk's "
            + "'dcmdjpls in.dcm out.dcm'");
      }
      decoded[id] = true;
    }
    near = u8();
    int interleave = u8();
    int pointTransform = u8() & 0x0F;
    if (pointTransform != 0) {
      throw fail("JPEG-LS point transform " + pointTransform + " is not decoded");
    }
    if (interleave > 2 || (interleave == 0 && count != 1)) {
      throw fail("JPEG-LS interleave mode " + interleave + " with " + count + " components");
    }
    parameters();
    bitsLeft = 0;
    afterFf = false;
    if (interleave == 2) {
      decodeLines(index, count, true);
    } else {
      decodeLines(index, 1, false);
    }
    // what follows the last code is padding up to the next marker, which nextMarker() finds
  }

  /** Default thresholds (T.87 C.2.4.1.1) unless the preset parameters set them. */
  private void parameters() {
    maxVal = presetMaxVal != 0 ? presetMaxVal : (1 << precision) - 1;
    if (near < 0 || near > Math.min(255, maxVal / 2)) {
      throw fail("JPEG-LS NEAR " + near + " for MAXVAL " + maxVal);
    }
    int factor;
    int d1;
    int d2;
    int d3;
    if (maxVal >= 128) {
      factor = (Math.min(maxVal, 4095) + 128) / 256;
      d1 = clampT(factor * (3 - 2) + 2 + 3 * near, near + 1);
      d2 = clampT(factor * (7 - 3) + 3 + 5 * near, d1);
      d3 = clampT(factor * (21 - 4) + 4 + 7 * near, d2);
    } else {
      factor = 256 / (maxVal + 1);
      d1 = clampT(Math.max(2, 3 / factor + 3 * near), near + 1);
      d2 = clampT(Math.max(3, 7 / factor + 5 * near), d1);
      d3 = clampT(Math.max(4, 21 / factor + 7 * near), d2);
    }
    t1 = presetT1 != 0 ? presetT1 : d1;
    t2 = presetT2 != 0 ? presetT2 : d2;
    t3 = presetT3 != 0 ? presetT3 : d3;
    reset = presetReset != 0 ? presetReset : 64;
    range = (maxVal + 2 * near) / (2 * near + 1) + 1;
    qbpp = ceilLog2(range);
    int bpp = Math.max(2, ceilLog2(maxVal + 1));
    limit = 2 * (bpp + Math.max(8, bpp));
    int a = Math.max(2, (range + 32) / 64);
    ctxA = new int[365];
    ctxB = new int[365];
    ctxC = new int[365];
    ctxN = new int[365];
    Arrays.fill(ctxA, a);
    Arrays.fill(ctxN, 1);
    Arrays.fill(runA, a);
    Arrays.fill(runN, 1);
    Arrays.fill(runNn, 0);
  }

  private int clampT(int value, int low) {
    return value > maxVal || value < low ? low : value;
  }

  private static int ceilLog2(int v) {
    int n = 0;
    while ((1L << n) < v) {
      n++;
    }
    return n;
  }

  /**
   * Decodes every line of the scan. {@code vector}: the components are coded together, pixel by pixel (interleave
   * 2); else each component's line in turn (interleave 1, or one component).
   */
  private void decodeLines(int[] index, int n, boolean vector) {
    int lines = vector ? 1 : index.length;
    int[][] previous = new int[lines][(width + 2) * n];
    int[][] current = new int[lines][(width + 2) * n];
    int[] runIndices = new int[lines];
    int[] q = new int[n];
    for (int y = 0; y < height; y++) {
      for (int l = 0; l < lines; l++) {
        int[] prev = previous[l];
        int[] cur = current[l];
        for (int k = 0; k < n; k++) {
          prev[(width + 1) * n + k] = prev[width * n + k];
          cur[k] = prev[n + k];
        }
        runIndex = runIndices[l];
        decodeLine(prev, cur, n, q);
        runIndices[l] = runIndex;
        for (int x = 0; x < width; x++) {
          for (int k = 0; k < n; k++) {
            int component = vector ? index[k] : index[l];
            samples[(y * width + x) * components + component] = cur[(x + 1) * n + k];
          }
        }
        previous[l] = cur;
        current[l] = prev;
      }
    }
  }

  /** One line of {@code n}-sample pixels; pixel x is at {@code (x + 1) * n}, pixel -1 at 0. */
  private void decodeLine(int[] prev, int[] cur, int n, int[] q) {
    int x = 0;
    while (x < width) {
      boolean flat = true;
      for (int k = 0; k < n; k++) {
        int ra = cur[x * n + k];
        int rb = prev[(x + 1) * n + k];
        int rc = prev[x * n + k];
        int rd = prev[(x + 2) * n + k];
        q[k] = (quantize(rd - rb) * 9 + quantize(rb - rc)) * 9 + quantize(rc - ra);
        flat &= q[k] == 0;
      }
      if (flat) {
        x += runMode(prev, cur, n, x);
        continue;
      }
      for (int k = 0; k < n; k++) {
        int ra = cur[x * n + k];
        int rb = prev[(x + 1) * n + k];
        int rc = prev[x * n + k];
        cur[(x + 1) * n + k] = regular(q[k], predict(ra, rb, rc));
      }
      x++;
    }
  }

  private int quantize(int d) {
    if (d <= -t3) {
      return -4;
    }
    if (d <= -t2) {
      return -3;
    }
    if (d <= -t1) {
      return -2;
    }
    if (d < -near) {
      return -1;
    }
    if (d <= near) {
      return 0;
    }
    if (d < t1) {
      return 1;
    }
    if (d < t2) {
      return 2;
    }
    if (d < t3) {
      return 3;
    }
    return 4;
  }

  private static int predict(int ra, int rb, int rc) {
    if (rc >= Math.max(ra, rb)) {
      return Math.min(ra, rb);
    }
    if (rc <= Math.min(ra, rb)) {
      return Math.max(ra, rb);
    }
    return ra + rb - rc;
  }

  /** A sample in regular mode (T.87 A.4 to A.6). */
  private int regular(int qs, int predicted) {
    int sign = qs < 0 ? -1 : 1;
    int q = qs < 0 ? -qs : qs;
    int k = 0;
    while ((ctxN[q] << k) < ctxA[q] && k < 24) {
      k++;
    }
    int px = clampSample(predicted + sign * ctxC[q]);
    int mapped = golomb(k, limit);
    int error = (mapped & 1) == 0 ? mapped >> 1 : -((mapped + 1) >> 1);
    if (k == 0 && near == 0 && 2 * ctxB[q] + ctxN[q] - 1 < 0) {
      error = -error - 1;
    }
    update(q, error);
    return reconstruct(px, sign * error);
  }

  private void update(int q, int error) {
    ctxA[q] += Math.abs(error);
    int b = ctxB[q] + error * (2 * near + 1);
    int n = ctxN[q];
    if (n == reset) {
      ctxA[q] >>= 1;
      b >>= 1;
      n >>= 1;
    }
    n++;
    ctxN[q] = n;
    if (b + n <= 0) {
      b += n;
      if (b <= -n) {
        b = -n + 1;
      }
      if (ctxC[q] > -128) {
        ctxC[q]--;
      }
    } else if (b > 0) {
      b -= n;
      if (b > 0) {
        b = 0;
      }
      if (ctxC[q] < 127) {
        ctxC[q]++;
      }
    }
    ctxB[q] = b;
  }

  /** A run from pixel {@code x0} and its interruption (T.87 A.7); returns the pixels it decoded. */
  private int runMode(int[] prev, int[] cur, int n, int x0) {
    int remaining = width - x0;
    int run = 0;
    while (readBit() == 1) {
      int count = Math.min(1 << J[runIndex], remaining - run);
      run += count;
      if (count == 1 << J[runIndex]) {
        runIndex = Math.min(31, runIndex + 1);
      }
      if (run == remaining) {
        break;
      }
    }
    if (run != remaining) {
      run += J[runIndex] > 0 ? bits(J[runIndex]) : 0;
    }
    if (run > remaining) {
      throw fail("JPEG-LS run of " + run + " pixels overruns the line (" + remaining + " left)");
    }
    for (int i = 0; i < run; i++) {
      System.arraycopy(cur, x0 * n, cur, (x0 + 1 + i) * n, n);
    }
    int end = x0 + run;
    if (end == width) {
      return run;
    }
    for (int k = 0; k < n; k++) {
      int ra = cur[x0 * n + k];
      int rb = prev[(end + 1) * n + k];
      int value;
      if (n == 1 && Math.abs(ra - rb) <= near) {
        value = reconstruct(ra, interruptionError(1));
      } else {
        value = reconstruct(rb, interruptionError(0) * (rb - ra < 0 ? -1 : 1));
      }
      cur[(end + 1) * n + k] = value;
    }
    runIndex = Math.max(0, runIndex - 1);
    return run + 1;
  }

  private int interruptionError(int type) {
    int temp = runA[type] + (runN[type] >> 1) * type;
    int k = 0;
    for (int test = runN[type]; test < temp && k < 24; test <<= 1) {
      k++;
    }
    int mapped = golomb(k, limit - J[runIndex] - 1);
    int value = mapped + type;
    boolean map = (value & 1) != 0;
    int abs = (value + (map ? 1 : 0)) / 2;
    int error = (k != 0 || 2 * runNn[type] >= runN[type]) == map ? -abs : abs;
    if (error < 0) {
      runNn[type]++;
    }
    runA[type] += (mapped + 1 - type) >> 1;
    if (runN[type] == reset) {
      runA[type] >>= 1;
      runN[type] >>= 1;
      runNn[type] >>= 1;
    }
    runN[type]++;
    return error;
  }

  private int reconstruct(int px, int error) {
    int value = px + error * (2 * near + 1);
    if (value < -near) {
      value += range * (2 * near + 1);
    } else if (value > maxVal + near) {
      value -= range * (2 * near + 1);
    }
    return clampSample(value);
  }

  private int clampSample(int v) {
    return v < 0 ? 0 : Math.min(v, maxVal);
  }

  /** A limited-length Golomb code of parameter {@code k} (T.87 A.5.3). */
  private int golomb(int k, int codeLimit) {
    int high = 0;
    while (readBit() == 0) {
      high++;
      if (high > codeLimit) {
        throw fail("JPEG-LS code longer than its limit of " + codeLimit + " bits: damaged scan data");
      }
    }
    if (high >= codeLimit - (qbpp + 1)) {
      return bits(qbpp) + 1;
    }
    return k == 0 ? high : (high << k) + bits(k);
  }

  private int bits(int count) {
    int v = 0;
    for (int i = 0; i < count; i++) {
      v = v << 1 | readBit();
    }
    return v;
  }

  private int readBit() {
    if (bitsLeft == 0) {
      if (pos >= data.length) {
        throw fail("JPEG-LS scan data ends early (truncated frame)");
      }
      int b = data[pos] & 0xFF;
      if (afterFf) {
        if (b >= 0x80) {
          throw fail("JPEG-LS scan data ends early at marker FF" + hex(b) + " (truncated or damaged frame)");
        }
        bitsLeft = 7;
      } else {
        bitsLeft = 8;
      }
      pos++;
      bitBuffer = b;
      afterFf = b == 0xFF;
    }
    bitsLeft--;
    return bitBuffer >> bitsLeft & 1;
  }

  /** The next marker: 0xFF (and fill bytes) then a byte of 0x80 or more; 0xFF then less is stuffed scan data. */
  private int nextMarker() {
    while (true) {
      while (pos < data.length && (data[pos] & 0xFF) != 0xFF) {
        pos++;
      }
      while (pos < data.length && (data[pos] & 0xFF) == 0xFF) {
        pos++;
      }
      if (pos >= data.length) {
        throw fail("JPEG-LS stream ends without EOI (FFD9)");
      }
      int marker = data[pos++] & 0xFF;
      if (marker >= 0x80) {
        return marker;
      }
    }
  }

  private int u8() {
    if (pos >= data.length) {
      throw fail("JPEG-LS stream ends inside a marker segment");
    }
    return data[pos++] & 0xFF;
  }

  private int u16() {
    return u8() << 8 | u8();
  }

  private static String hex(int v) {
    return String.format("%02X", v);
  }

  private DicomFormatException fail(String message) {
    return new DicomFormatException(file, message);
  }
}
