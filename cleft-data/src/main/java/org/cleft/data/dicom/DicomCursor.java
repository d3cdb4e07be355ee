package org.cleft.data.dicom;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** A little-endian read position over a file's bytes; every read is bounds-checked with a clear message. */
final class DicomCursor {
  private final byte[] bytes;
  private final Path file;
  private int pos;
  private boolean bigEndian;

  DicomCursor(byte[] bytes, Path file, int start) {
    this.bytes = bytes;
    this.file = file;
    this.pos = start;
  }

  /** Reads the numbers that follow (tags, lengths) most significant byte first (Explicit VR Big Endian). */
  void bigEndian(boolean on) {
    bigEndian = on;
  }

  /** {@return the bytes after the current position (a deflated dataset's compressed stream)} */
  byte[] rest() {
    return Arrays.copyOfRange(bytes, pos, bytes.length);
  }

  Path file() {
    return file;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return bytes.length - pos;
  }

  int peekU16(int ahead) {
    int a = bytes[pos + ahead] & 0xFF;
    int b = bytes[pos + ahead + 1] & 0xFF;
    return bigEndian ? a << 8 | b : a | b << 8;
  }

  /** The two bytes {@code ahead} of the position as ASCII (a VR), whatever the byte order. */
  String peekAscii2(int ahead) {
    return new String(bytes, pos + ahead, 2, StandardCharsets.US_ASCII);
  }

  int u16(String what) {
    need(2, what);
    int v = peekU16(0);
    pos += 2;
    return v;
  }

  long u32(String what) {
    need(4, what);
    long v = bigEndian
        ? (bytes[pos] & 0xFFL) << 24 | (bytes[pos + 1] & 0xFFL) << 16 | (bytes[pos + 2] & 0xFFL) << 8
            | (bytes[pos + 3] & 0xFFL)
        : (bytes[pos] & 0xFFL) | (bytes[pos + 1] & 0xFFL) << 8 | (bytes[pos + 2] & 0xFFL) << 16
            | (bytes[pos + 3] & 0xFFL) << 24;
    pos += 4;
    return v;
  }

  int tag(String what) {
    int group = u16(what);
    int element = u16(what);
    return group << 16 | element;
  }

  String ascii(int n, String what) {
    need(n, what);
    String s = new String(bytes, pos, n, StandardCharsets.US_ASCII);
    pos += n;
    return s;
  }

  byte[] bytes(long n, String what) {
    need(n, what);
    byte[] out = Arrays.copyOfRange(bytes, pos, pos + (int) n);
    pos += (int) n;
    return out;
  }

  void skip(long n, String what) {
    need(n, what);
    pos += (int) n;
  }

  private void need(long n, String what) {
    if (n < 0 || n > remaining()) {
      throw new DicomFormatException(file, pos, "truncated or corrupt: " + what + " needs " + n
          + " bytes but only " + remaining() + " remain");
    }
  }
}
