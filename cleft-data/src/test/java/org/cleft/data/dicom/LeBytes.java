package org.cleft.data.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Assembles little-endian DICOM bytes field by field, independently of {@link DicomWriter}. */
final class LeBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  LeBytes u16(int v) {
    out.write(v);
    out.write(v >> 8);
    return this;
  }

  LeBytes u32(long v) {
    u16((int) (v & 0xFFFF));
    return u16((int) (v >>> 16));
  }

  LeBytes tag(int group, int element) {
    return u16(group).u16(element);
  }

  LeBytes ascii(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  LeBytes raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  /** An explicit-VR element with a 2-byte length (short VRs). */
  LeBytes explicitShort(int group, int element, String vr, byte[] value) {
    return tag(group, element).ascii(vr).u16(value.length).raw(value);
  }

  /** An explicit-VR element with reserved bytes and a 4-byte length (OB, OW, SQ, UN, ...). */
  LeBytes explicitLong(int group, int element, String vr, long length) {
    return tag(group, element).ascii(vr).u16(0).u32(length);
  }

  /** An implicit-VR element header plus value. */
  LeBytes implicit(int group, int element, byte[] value) {
    return tag(group, element).u32(value.length).raw(value);
  }

  int size() {
    return out.size();
  }

  byte[] toBytes() {
    return out.toByteArray();
  }

  static byte[] us(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8)};
  }

  static byte[] str(String s) {
    String padded = s.length() % 2 == 0 ? s : s + " ";
    return padded.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] uid(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return b.length % 2 == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
  }
}
