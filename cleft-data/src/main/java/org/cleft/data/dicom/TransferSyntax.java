package org.cleft.data.dicom;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The transfer syntaxes this package reads and writes, with the names of common ones it refuses. */
public enum TransferSyntax {
  /** Implicit VR Little Endian, the DICOM default. */
  IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, false),
  /** Explicit VR Little Endian. */
  EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, false),
  /** JPEG Baseline (Process 1), 8-bit lossy JPEG in encapsulated fragments. */
  JPEG_BASELINE("1.2.840.10008.1.2.4.50", true, true);

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
  private final boolean encapsulated;

  TransferSyntax(String uid, boolean explicitVr, boolean encapsulated) {
    this.uid = uid;
    this.explicitVr = explicitVr;
    this.encapsulated = encapsulated;
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
   * @return true for JPEG baseline
   */
  public boolean encapsulated() {
    return encapsulated;
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

  static String supportedList() {
    return Arrays.stream(values()).map(t -> t.uid + " " + nameOf(t.uid)).collect(Collectors.joining(", "));
  }
}
