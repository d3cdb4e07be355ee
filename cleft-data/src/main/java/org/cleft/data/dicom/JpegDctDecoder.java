package org.cleft.data.dicom;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A sequential DCT JPEG decoder (ITU-T T.81 baseline and extended, Huffman coded) for the precision Java's JPEG
 * readers refuse: 12-bit samples, DICOM's JPEG Extended (Process 4) as CR and DX archives hold it. Grey images
 * only (one component; 12-bit colour JPEG does not occur in practice), restart intervals included; progressive and
 * arithmetic-coded JPEG are refused by name. The inverse DCT is the exact separable one in double precision, so the
 * samples match any conforming decoder within the rounding T.81 allows. Not thread-safe: one instance per frame.
 */
final class JpegDctDecoder {
  private static final int[] ZIGZAG = {0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40,
      48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58,
      59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};
  private static final double[][] COS = new double[8][8];

  static {
    for (int x = 0; x < 8; x++) {
      for (int u = 0; u < 8; u++) {
        COS[x][u] = (u == 0 ? Math.sqrt(0.5) : 1) * Math.cos((2 * x + 1) * u * Math.PI / 16) / 2;
      }
    }
  }

  private final byte[] data;
  private final Path file;
  private int pos;

  private final int[][] quant = new int[4][];
  private final Huffman[] dc = new Huffman[4];
  private final Huffman[] ac = new Huffman[4];
  private int precision;
  private int width;
  private int height;
  private int quantTable;
  private int restartInterval;
  private int[] samples;

  private int bitBuffer;
  private int bitCount;
  private boolean atMarker;

  private JpegDctDecoder(byte[] data, Path file) {
    this.data = data;
    this.file = file;
  }

  /** A decoded grey frame: {@code height * width} samples of {@code precision} bits, row by row. */
  record Frame(int width, int height, int precision, int[] samples) {}

  /**
   * Decodes one JPEG stream.
   *
   * @param data the stream, from SOI to EOI
   * @param file the DICOM file, for messages
   * @param maxPixels the most pixels to allocate
   * @return the samples
   * @throws DicomFormatException naming the file when the stream is malformed or of a kind not decoded here
   */
  static Frame decode(byte[] data, Path file, long maxPixels) {
    return new JpegDctDecoder(data, file).run(maxPixels);
  }

  private Frame run(long maxPixels) {
    if (u8() != 0xFF || u8() != 0xD8) {
      throw fail("JPEG frame does not start with SOI (FFD8)");
    }
    while (true) {
      int marker = nextMarker();
      switch (marker) {
        case 0xC0, 0xC1 -> frameHeader(maxPixels);
        case 0xC4 -> huffmanTables();
        case 0xDB -> quantTables();
        case 0xDD -> {
          u16();
          restartInterval = u16();
        }
        case 0xDA -> scan();
        case 0xD9 -> {
          if (samples == null) {
            throw fail("JPEG stream has no image");
          }
          return new Frame(width, height, precision, samples);
        }
        default -> {
          if (marker >= 0xC2 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            throw fail("JPEG process SOF" + (marker - 0xC0) + " (progressive, lossless, hierarchical or arithmetic "
                + "coded) is not decoded at " + precision + " bits; decompress first, e.g. with dcmtk's "
                + "'dcmdjpeg in.dcm out.dcm'");
          }
          pos += u16() - 2;
        }
      }
    }
  }

  private void frameHeader(long maxPixels) {
    u16();
    precision = u8();
    height = u16();
    width = u16();
    int components = u8();
    if (precision != 8 && precision != 12) {
      throw fail("JPEG sample precision " + precision + " (8 or 12 for DCT JPEG)");
    }
    if (components != 1) {
      throw fail("JPEG frame of " + components + " components at " + precision + " bits: only grey is decoded "
          + "here; decompress first, e.g. with dcmtk's 'dcmdjpeg in.dcm out.dcm'");
    }
    if (width == 0 || height == 0 || (long) width * height > maxPixels) {
      throw fail("JPEG frame of " + width + "x" + height + " pixels (limit " + maxPixels + ")");
    }
    u8();
    u8(); // one component: its sampling factors do not change the block layout (T.81 A.2.2)
    quantTable = u8() & 3;
    samples = new int[width * height];
  }

  private void quantTables() {
    int end = pos + u16() - 2;
    while (pos < end) {
      int pt = u8();
      int[] table = new int[64];
      for (int k = 0; k < 64; k++) {
        table[k] = (pt >> 4) == 0 ? u8() : u16();
      }
      quant[pt & 3] = table;
    }
  }

  private void huffmanTables() {
    int end = pos + u16() - 2;
    while (pos < end) {
      int tc = u8();
      int[] counts = new int[17];
      int total = 0;
      for (int i = 1; i <= 16; i++) {
        counts[i] = u8();
        total += counts[i];
      }
      int[] symbols = new int[total];
      for (int i = 0; i < total; i++) {
        symbols[i] = u8();
      }
      Huffman h = new Huffman(counts, symbols);
      if ((tc >> 4) == 0) {
        dc[tc & 3] = h;
      } else {
        ac[tc & 3] = h;
      }
    }
  }

  private void scan() {
    if (samples == null) {
      throw fail("JPEG scan (SOS) before the frame header");
    }
    u16();
    int count = u8();
    if (count != 1) {
      throw fail("JPEG scan of " + count + " components in a grey frame");
    }
    u8();
    int tables = u8();
    u8();
    u8();
    u8();
    Huffman dcTable = dc[tables >> 4 & 3];
    Huffman acTable = ac[tables & 3];
    int[] q = quant[quantTable];
    if (dcTable == null || acTable == null || q == null) {
      throw fail("JPEG scan uses a Huffman or quantisation table the stream does not define");
    }
    int blocksX = (width + 7) / 8;
    int blocksY = (height + 7) / 8;
    int predictor = 0;
    int left = restartInterval;
    double[] coefficients = new double[64];
    double[] rows = new double[64];
    int offset = 1 << (precision - 1);
    int max = (1 << precision) - 1;
    bitCount = 0;
    atMarker = false;
    for (int by = 0; by < blocksY; by++) {
      for (int bx = 0; bx < blocksX; bx++) {
        if (restartInterval > 0) {
          if (left == 0) {
            restart();
            predictor = 0;
            left = restartInterval;
          }
          left--;
        }
        Arrays.fill(coefficients, 0);
        int t = dcTable.decode(this);
        predictor += t == 0 ? 0 : extend(bits(t), t);
        coefficients[0] = predictor * q[0];
        for (int k = 1; k < 64; k++) {
          int rs = acTable.decode(this);
          int r = rs >> 4;
          int s = rs & 15;
          if (s == 0) {
            if (r != 15) {
              break;
            }
            k += 15;
            continue;
          }
          k += r;
          if (k > 63) {
            throw fail("JPEG coefficients run past the end of a block: damaged scan data");
          }
          coefficients[ZIGZAG[k]] = extend(bits(s), s) * q[k];
        }
        inverseDct(coefficients, rows);
        for (int y = 0; y < 8 && by * 8 + y < height; y++) {
          for (int x = 0; x < 8 && bx * 8 + x < width; x++) {
            long v = Math.round(rows[y * 8 + x]) + offset;
            samples[(by * 8 + y) * width + bx * 8 + x] = (int) Math.max(0, Math.min(max, v));
          }
        }
      }
    }
  }

  /** The separable inverse DCT of T.81 A.3.3, in double precision; {@code out} row-major [y][x]. */
  private static void inverseDct(double[] in, double[] out) {
    double[] tmp = new double[64];
    for (int v = 0; v < 8; v++) {
      for (int x = 0; x < 8; x++) {
        double s = 0;
        for (int u = 0; u < 8; u++) {
          s += COS[x][u] * in[v * 8 + u];
        }
        tmp[v * 8 + x] = s;
      }
    }
    for (int x = 0; x < 8; x++) {
      for (int y = 0; y < 8; y++) {
        double s = 0;
        for (int v = 0; v < 8; v++) {
          s += COS[y][v] * tmp[v * 8 + x];
        }
        out[y * 8 + x] = s;
      }
    }
  }

  private static int extend(int v, int t) {
    return v < 1 << (t - 1) ? v - (1 << t) + 1 : v;
  }

  private void restart() {
    bitCount = 0;
    atMarker = false;
    while (pos + 1 < data.length && !((data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xFF) >= 0xD0
        && (data[pos + 1] & 0xFF) <= 0xD7)) {
      pos++;
    }
    if (pos + 1 >= data.length) {
      throw fail("JPEG restart marker missing: damaged scan data");
    }
    pos += 2;
  }

  int bit() {
    if (bitCount == 0) {
      int b = 0;
      if (!atMarker) {
        if (pos >= data.length) {
          throw fail("JPEG scan data ends early (truncated frame)");
        }
        b = data[pos] & 0xFF;
        if (b == 0xFF) {
          int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : 0xD9;
          if (next == 0) {
            pos += 2;
          } else {
            atMarker = true; // a marker: the scan's bits are over; T.81 F.2.2.5 reads zeros from here
            b = 0;
          }
        } else {
          pos++;
        }
      }
      bitBuffer = b;
      bitCount = 8;
    }
    bitCount--;
    return bitBuffer >> bitCount & 1;
  }

  private int bits(int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      v = v << 1 | bit();
    }
    return v;
  }

  private int nextMarker() {
    while (true) {
      while (pos < data.length && (data[pos] & 0xFF) != 0xFF) {
        pos++;
      }
      while (pos < data.length && (data[pos] & 0xFF) == 0xFF) {
        pos++;
      }
      if (pos >= data.length) {
        throw fail("JPEG stream ends without EOI (FFD9)");
      }
      int marker = data[pos++] & 0xFF;
      if (marker != 0 && (marker < 0xD0 || marker > 0xD7)) {
        return marker;
      }
    }
  }

  private int u8() {
    if (pos >= data.length) {
      throw fail("JPEG stream ends inside a marker segment");
    }
    return data[pos++] & 0xFF;
  }

  private int u16() {
    return u8() << 8 | u8();
  }

  DicomFormatException fail(String message) {
    return new DicomFormatException(file, message);
  }

  /** A canonical Huffman table (T.81 annex C and F.2.2.3). */
  private static final class Huffman {
    private final int[] maxCode = new int[18];
    private final int[] valPtr = new int[17];
    private final int[] minCode = new int[17];
    private final int[] symbols;

    Huffman(int[] counts, int[] symbols) {
      this.symbols = symbols;
      int code = 0;
      int k = 0;
      for (int length = 1; length <= 16; length++) {
        valPtr[length] = k;
        minCode[length] = code;
        code += counts[length];
        k += counts[length];
        maxCode[length] = counts[length] == 0 ? -1 : code - 1;
        code <<= 1;
      }
      maxCode[17] = Integer.MAX_VALUE;
    }

    int decode(JpegDctDecoder in) {
      int code = in.bit();
      for (int length = 1; length <= 16; length++) {
        if (maxCode[length] >= 0 && code <= maxCode[length]) {
          return symbols[valPtr[length] + code - minCode[length]];
        }
        code = code << 1 | in.bit();
      }
      throw in.fail("JPEG Huffman code longer than 16 bits: damaged scan data");
    }
  }
}
