package org.cleft.data.dicom;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A minimal Part 10 writer for tests and synthetic data: Explicit or Implicit VR Little Endian with
 * native pixel data, or baseline JPEG in encapsulated fragments. Not a general DICOM writer: it writes
 * flat datasets (no sequences) with the elements set on it plus the pixel module.
 */
public final class DicomWriter {
  private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT");
  private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

  private final TransferSyntax syntax;
  private final Map<Integer, Object[]> elements = new TreeMap<>(Integer::compareUnsigned);
  private List<byte[]> jpegFrames;
  private byte[] nativePixels;
  private int fragmentSize = Integer.MAX_VALUE;
  private float jpegQuality = 0.95f;

  /**
   * A writer for the given transfer syntax.
   *
   * @param syntax how the dataset and pixel data are encoded: Implicit or Explicit VR Little Endian, or JPEG
   *     Baseline (the syntaxes cleft writes; it reads more)
   * @throws IllegalArgumentException for another syntax
   */
  public DicomWriter(TransferSyntax syntax) {
    if (syntax != TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN && syntax != TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN
        && syntax != TransferSyntax.JPEG_BASELINE) {
      throw new IllegalArgumentException("DicomWriter writes Implicit or Explicit VR Little Endian or JPEG Baseline, "
          + "not " + TransferSyntax.nameOf(syntax.uid()));
    }
    this.syntax = syntax;
    string(DicomTag.SOP_CLASS_UID, SECONDARY_CAPTURE);
    string(DicomTag.SOP_INSTANCE_UID, "2.25.1");
  }

  /**
   * Sets a string element (its dictionary VR is used). SOP Class and Instance UIDs default to
   * Secondary Capture and {@code 2.25.1}, so that the same content always gives the same bytes.
   *
   * @param tag the element
   * @param value the value; multiple values separated by backslashes
   * @return this writer
   */
  public DicomWriter string(DicomTag tag, String value) {
    byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
    elements.put(tag.tag(), new Object[] {tag.vr(), pad(b, "UI".equals(tag.vr()) ? (byte) 0 : (byte) ' ')});
    return this;
  }

  /**
   * Sets an unsigned short (US) element.
   *
   * @param tag the element, whose dictionary VR must be US
   * @param value 0..65535
   * @return this writer
   */
  public DicomWriter uint16(DicomTag tag, int value) {
    if (!"US".equals(tag.vr())) {
      throw new IllegalArgumentException(DicomTag.describe(tag.tag()) + " has VR " + tag.vr() + ", not US");
    }
    elements.put(tag.tag(), new Object[] {"US", new byte[] {(byte) value, (byte) (value >> 8)}});
    return this;
  }

  /**
   * Splits each JPEG frame into fragments of at most this many bytes (to test reassembly).
   *
   * @param bytes a positive even size
   * @return this writer
   */
  public DicomWriter fragmentSize(int bytes) {
    if (bytes <= 0 || bytes % 2 != 0) {
      throw new IllegalArgumentException("fragmentSize must be positive and even, got " + bytes);
    }
    this.fragmentSize = bytes;
    return this;
  }

  /**
   * Sets the JPEG quality for {@link TransferSyntax#JPEG_BASELINE}.
   *
   * @param quality 0..1
   * @return this writer
   */
  public DicomWriter jpegQuality(float quality) {
    this.jpegQuality = quality;
    return this;
  }

  /**
   * Sets 8-bit monochrome pixel data (MONOCHROME2 unless set otherwise); several frames when
   * {@code pixels} holds a multiple of {@code rows * cols} values.
   *
   * @param rows image height
   * @param cols image width
   * @param pixels row-major unsigned bytes, frame after frame
   * @return this writer
   */
  public DicomWriter grey8(int rows, int cols, byte[] pixels) {
    pixelModule(rows, cols, 1, 8, 8, false, frames(pixels.length, rows * cols));
    if (syntax.encapsulated()) {
      jpegFrames = encodeFrames(rows, cols, 1, pixels);
    } else {
      nativePixels = pixels.clone();
    }
    return this;
  }

  /**
   * Sets 16-bit monochrome native pixel data; values are masked to {@code bitsStored} bits
   * (HighBit = bitsStored - 1).
   *
   * @param rows image height
   * @param cols image width
   * @param pixels row-major values, frame after frame
   * @param bitsStored 1..16
   * @param signed whether PixelRepresentation is 1 (two's complement)
   * @return this writer
   */
  public DicomWriter grey16(int rows, int cols, short[] pixels, int bitsStored, boolean signed) {
    if (syntax.encapsulated()) {
      throw new IllegalArgumentException("16-bit pixel data cannot be written as " + syntax + " (8-bit only)");
    }
    pixelModule(rows, cols, 1, 16, bitsStored, signed, frames(pixels.length, rows * cols));
    int mask = (1 << bitsStored) - 1;
    nativePixels = new byte[pixels.length * 2];
    for (int i = 0; i < pixels.length; i++) {
      int v = pixels[i] & mask;
      nativePixels[2 * i] = (byte) v;
      nativePixels[2 * i + 1] = (byte) (v >> 8);
    }
    return this;
  }

  /**
   * Sets 8-bit RGB pixel data.
   *
   * @param rows image height
   * @param cols image width
   * @param interleaved row-major RGBRGB... bytes (one frame)
   * @param planarConfiguration 0 to store interleaved, 1 to store colour planes (native only)
   * @return this writer
   */
  public DicomWriter rgb8(int rows, int cols, byte[] interleaved, int planarConfiguration) {
    pixelModule(rows, cols, 3, 8, 8, false, frames(interleaved.length, rows * cols * 3));
    uint16(DicomTag.PLANAR_CONFIGURATION, syntax.encapsulated() ? 0 : planarConfiguration);
    if (syntax.encapsulated()) {
      string(DicomTag.PHOTOMETRIC_INTERPRETATION, "YBR_FULL_422");
      jpegFrames = encodeFrames(rows, cols, 3, interleaved);
      return this;
    }
    string(DicomTag.PHOTOMETRIC_INTERPRETATION, "RGB");
    nativePixels = interleaved.clone();
    if (planarConfiguration == 1) {
      int plane = rows * cols;
      for (int i = 0; i < plane * 3; i++) {
        nativePixels[(i % 3) * plane + i / 3] = interleaved[i];
      }
    }
    return this;
  }

  /**
   * Encodes the file.
   *
   * @return the Part 10 bytes: preamble, "DICM", meta group, dataset
   */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[128], 0, 128);
    out.write('D');
    out.write('I');
    out.write('C');
    out.write('M');
    byte[] meta = metaGroup();
    writeExplicit(out, DicomTag.FILE_META_GROUP_LENGTH.tag(), "UL", le32(meta.length));
    out.write(meta, 0, meta.length);
    for (Map.Entry<Integer, Object[]> e : elements.entrySet()) {
      writeElement(out, e.getKey(), (String) e.getValue()[0], (byte[]) e.getValue()[1]);
    }
    writePixelData(out);
    return out.toByteArray();
  }

  /**
   * Writes the file.
   *
   * @param file the destination (parent folders are created)
   * @return {@code file}
   */
  public Path write(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.write(file, toBytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write DICOM file " + file, e);
    }
  }

  private void pixelModule(int rows, int cols, int samples, int allocated, int stored, boolean signed, int frames) {
    uint16(DicomTag.ROWS, rows);
    uint16(DicomTag.COLUMNS, cols);
    uint16(DicomTag.SAMPLES_PER_PIXEL, samples);
    uint16(DicomTag.BITS_ALLOCATED, allocated);
    uint16(DicomTag.BITS_STORED, stored);
    uint16(DicomTag.HIGH_BIT, stored - 1);
    uint16(DicomTag.PIXEL_REPRESENTATION, signed ? 1 : 0);
    if (!elements.containsKey(DicomTag.PHOTOMETRIC_INTERPRETATION.tag())) {
      string(DicomTag.PHOTOMETRIC_INTERPRETATION, "MONOCHROME2");
    }
    if (frames > 1) {
      string(DicomTag.NUMBER_OF_FRAMES, Integer.toString(frames));
    }
  }

  private static int frames(int length, int frameSize) {
    if (length == 0 || length % frameSize != 0) {
      throw new IllegalArgumentException("pixel array of " + length + " values is not a whole number of "
          + frameSize + "-value frames");
    }
    return length / frameSize;
  }

  private byte[] metaGroup() {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    writeExplicit(m, DicomTag.FILE_META_VERSION.tag(), "OB", new byte[] {0, 1});
    writeExplicit(m, DicomTag.MEDIA_STORAGE_SOP_CLASS_UID.tag(), "UI", value(DicomTag.SOP_CLASS_UID));
    writeExplicit(m, DicomTag.MEDIA_STORAGE_SOP_INSTANCE_UID.tag(), "UI", value(DicomTag.SOP_INSTANCE_UID));
    writeExplicit(m, DicomTag.TRANSFER_SYNTAX_UID.tag(), "UI", pad(syntax.uid().getBytes(StandardCharsets.US_ASCII), (byte) 0));
    writeExplicit(m, DicomTag.IMPLEMENTATION_CLASS_UID.tag(), "UI", pad("2.25.4242".getBytes(StandardCharsets.US_ASCII), (byte) 0));
    return m.toByteArray();
  }

  private byte[] value(DicomTag tag) {
    return (byte[]) elements.get(tag.tag())[1];
  }

  private void writePixelData(ByteArrayOutputStream out) {
    int tag = DicomTag.PIXEL_DATA.tag();
    if (jpegFrames == null && nativePixels == null) {
      return;
    }
    if (!syntax.encapsulated()) {
      int allocated = elements.containsKey(DicomTag.BITS_ALLOCATED.tag())
          ? ((byte[]) elements.get(DicomTag.BITS_ALLOCATED.tag())[1])[0] : 8;
      writeElement(out, tag, allocated == 16 ? "OW" : "OB", pad(nativePixels, (byte) 0));
      return;
    }
    writeTag(out, tag);
    out.write('O');
    out.write('B');
    out.write(0);
    out.write(0);
    out.write(le32(-1), 0, 4);
    ByteArrayOutputStream items = new ByteArrayOutputStream();
    int[] offsets = new int[jpegFrames.size()];
    for (int f = 0; f < jpegFrames.size(); f++) {
      offsets[f] = items.size();
      byte[] frame = pad(jpegFrames.get(f), (byte) 0);
      for (int start = 0; start < frame.length; start += fragmentSize) {
        int len = Math.min(fragmentSize, frame.length - start);
        writeTag(items, DicomTag.ITEM);
        items.write(le32(len), 0, 4);
        items.write(frame, start, len);
      }
    }
    writeTag(out, DicomTag.ITEM);
    out.write(le32(jpegFrames.size() > 1 ? 4 * offsets.length : 0), 0, 4);
    if (jpegFrames.size() > 1) {
      for (int o : offsets) {
        out.write(le32(o), 0, 4);
      }
    }
    out.writeBytes(items.toByteArray());
    writeTag(out, DicomTag.SEQUENCE_DELIMITATION);
    out.write(le32(0), 0, 4);
  }

  private void writeElement(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
    if (syntax.explicitVr()) {
      writeExplicit(out, tag, vr, value);
    } else {
      writeTag(out, tag);
      out.write(le32(value.length), 0, 4);
      out.write(value, 0, value.length);
    }
  }

  private static void writeExplicit(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
    writeTag(out, tag);
    out.write(vr.charAt(0));
    out.write(vr.charAt(1));
    if (LONG_VRS.contains(vr)) {
      out.write(0);
      out.write(0);
      out.write(le32(value.length), 0, 4);
    } else {
      out.write(value.length);
      out.write(value.length >> 8);
    }
    out.write(value, 0, value.length);
  }

  private static void writeTag(ByteArrayOutputStream out, int tag) {
    out.write(tag >>> 16);
    out.write(tag >>> 24);
    out.write(tag);
    out.write(tag >>> 8);
  }

  private static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
  }

  private static byte[] pad(byte[] b, byte with) {
    if (b.length % 2 == 0) {
      return b;
    }
    byte[] p = java.util.Arrays.copyOf(b, b.length + 1);
    p[b.length] = with;
    return p;
  }

  private List<byte[]> encodeFrames(int rows, int cols, int samples, byte[] pixels) {
    List<byte[]> frames = new ArrayList<>();
    int frameSize = rows * cols * samples;
    for (int start = 0; start < pixels.length; start += frameSize) {
      BufferedImage img = new BufferedImage(cols, rows, samples == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < cols; x++) {
          int i = start + (y * cols + x) * samples;
          if (samples == 1) {
            img.getRaster().setSample(x, y, 0, pixels[i] & 0xFF);
          } else {
            img.setRGB(x, y, (pixels[i] & 0xFF) << 16 | (pixels[i + 1] & 0xFF) << 8 | (pixels[i + 2] & 0xFF));
          }
        }
      }
      frames.add(jpeg(img));
    }
    return frames;
  }

  private byte[] jpeg(BufferedImage img) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(jpegQuality);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a JPEG frame", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
