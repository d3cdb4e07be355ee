package org.cleft.data.dicom;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The transfer syntaxes this package reads and writes, with the names of common ones it refuses. */
public enum TransferSyntax {
  /** Implicit VR Little Endian, the DICOM default. */
  IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, Codec.NATIVE),
  /** Explicit VR Little Endian. */
  EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, Codec.NATIVE),
  /** Deflated Explicit VR Little Endian: the dataset after the file meta is a raw deflate stream. */
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", true, Codec.NATIVE),
  /** Explicit VR Big Endian (retired, still in archives). */
  EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", true, Codec.NATIVE),
  /** RLE Lossless (PS3.5 annex G). */
  RLE_LOSSLESS("1.2.840.10008.1.2.5", true, Codec.RLE),
  /** JPEG Baseline (Process 1), 8-bit lossy JPEG in encapsulated fragments. */
  JPEG_BASELINE("1.2.840.10008.1.2.4.50", true, Codec.JPEG),
  /** JPEG Extended (Process 2 and 4): lossy, up to 12 bits. */
  JPEG_EXTENDED("1.2.840.10008.1.2.4.51", true, Codec.JPEG),
  /** JPEG Lossless, Non-Hierarchical (Process 14). */
  JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", true, Codec.JPEG),
  /** JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, selection value 1). */
  JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, Codec.JPEG),
  /** JPEG 2000 Image Compression (Lossless Only). */
  JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, Codec.JPEG_2000),
  /** JPEG 2000 Image Compression (lossless or lossy). */
  JPEG_2000("1.2.840.10008.1.2.4.91", true, Codec.JPEG_2000),
  /** JPEG-LS Lossless Image Compression. */
  JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", true, Codec.JPEG_LS),
  /** JPEG-LS Lossy (Near-Lossless) Image Compression. */
  JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", true, Codec.JPEG_LS);

  /** How the pixel data of a syntax is encoded. */
  enum Codec {
    /** Native (uncompressed) pixel data. */
    NATIVE,
    /** RLE Lossless segments. */
    RLE,
    /** A JPEG stream (baseline, extended or lossless) per frame. */
    JPEG,
    /** A JPEG 2000 codestream per frame. */
    JPEG_2000,
    /** A JPEG-LS stream per frame ({@link JpegLsDecoder}). */
    JPEG_LS
  }

  private static final Map<String, String> KNOWN_NAMES = Map.ofEntries(
      Map.entry("1.2.840.10008.1.2", "Implicit VR Little Endian"),
      Map.entry("1.2.840.10008.1.2.1", "Explicit VR Little Endian"),
      Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
      Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)"),
      Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
      Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
      Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
      Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless, First-Order Prediction (Process 14 SV1)"),
      Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
      Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
      Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
      Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
      Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)"),
      Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"),
      Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"),
      Map.entry("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
      Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile"));

  private final String uid;
  private final boolean explicitVr;
  private final Codec codec;

  TransferSyntax(String uid, boolean explicitVr, Codec codec) {
    this.uid = uid;
    this.explicitVr = explicitVr;
    this.codec = codec;
  }

  /**
   * The UID of this transfer syntax.
   *
   * @return the dotted UID
   */
  public String uid() {
    return uid;
  }

  /**
   * Whether data elements carry their VR.
   *
   * @return true for explicit VR syntaxes
   */
  public boolean explicitVr() {
    return explicitVr;
  }

  /**
   * Whether pixel data is encapsulated in fragments (compressed).
   *
   * @return true for RLE, JPEG and JPEG 2000
   */
  public boolean encapsulated() {
    return codec != Codec.NATIVE;
  }

  /**
   * Whether the dataset's numbers are stored most significant byte first.
   *
   * @return true for Explicit VR Big Endian
   */
  public boolean bigEndian() {
    return this == EXPLICIT_VR_BIG_ENDIAN;
  }

  /**
   * Whether the dataset after the file meta is deflated.
   *
   * @return true for Deflated Explicit VR Little Endian
   */
  public boolean deflated() {
    return this == DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
  }

  Codec codec() {
    return codec;
  }

  /**
   * Looks up a supported transfer syntax by UID.
   *
   * @param uid a transfer syntax UID (trailing NUL/space padding is ignored)
   * @return the syntax, or empty when this package does not support it
   */
  public static Optional<TransferSyntax> of(String uid) {
    String clean = uid.trim();
    return Arrays.stream(values()).filter(t -> t.uid.equals(clean)).findFirst();
  }

  /**
   * The human-readable name of a transfer syntax UID.
   *
   * @param uid any transfer syntax UID
   * @return its name, or "unknown transfer syntax"
   */
  public static String nameOf(String uid) {
    return KNOWN_NAMES.getOrDefault(uid.trim(), "unknown transfer syntax");
  }

  /** {@return why a known syntax is not decoded, with the workaround, as text to append; empty when unknown} */
  static String whyNot(String uid) {
    String u = uid.trim();
    if (u.equals("1.2.840.10008.1.2.4.201") || u.equals("1.2.840.10008.1.2.4.202")
        || u.equals("1.2.840.10008.1.2.4.203")) {
      return ": the JPEG 2000 decoder here (jai-imageio) predates High-Throughput JPEG 2000; decompress first with a "
          + "toolkit built on OpenJPEG 2.5 or later, e.g. 'gdcmconv --raw in.dcm out.dcm' or pydicom with "
          + "pylibjpeg-openjpeg";
    }
    if (u.startsWith("1.2.840.10008.1.2.4.10") || u.startsWith("1.2.840.10008.1.2.4.11")) {
      return ": video, not a still image";
    }
    return "";
  }

  static String supportedList() {
    return Arrays.stream(values()).map(t -> t.uid + " " + nameOf(t.uid)).collect(Collectors.joining(", "));
  }
}
