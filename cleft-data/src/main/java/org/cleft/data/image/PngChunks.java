package org.cleft.data.image;

import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Checks a PNG file's chunk structure and CRCs before it is decoded: the JDK's PNG reader skips the CRCs, so a
 * damaged file would otherwise decode to wrong pixels without a word. As libpng does, a CRC error in a critical
 * chunk (IHDR, PLTE, IDAT, IEND: upper-case first letter) is an error and one in an ancillary chunk (text, time,
 * colour profile) is not, and a file that ends cleanly after its image data without IEND is accepted. Files that
 * are not PNG pass untouched.
 */
final class PngChunks {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private PngChunks() {}

  /**
   * Verifies every chunk's length and CRC up to {@code IEND}.
   *
   * @param bytes the file
   * @param file its path, for messages
   * @throws ImageDecodeException naming the chunk, its offset and what is wrong
   */
  static void verify(byte[] bytes, Path file) {
    if (bytes.length < SIGNATURE.length) {
      return;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (bytes[i] != SIGNATURE[i]) {
        return;
      }
    }
    int at = SIGNATURE.length;
    boolean imageData = false;
    while (true) {
      if (at == bytes.length && imageData) {
        return; // no IEND, but every chunk complete
      }
      if (at + 8 > bytes.length) {
        throw new ImageDecodeException(file, "truncated PNG: no IEND chunk (the file ends at byte " + bytes.length
            + ")", null);
      }
      long length = readInt(bytes, at) & 0xFFFFFFFFL;
      String type = new String(bytes, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (at + 12 + length > bytes.length) {
        throw new ImageDecodeException(file, "truncated PNG: chunk " + type + " at byte " + at + " declares "
            + length + " bytes but the file ends at byte " + bytes.length, null);
      }
      CRC32 crc = new CRC32();
      crc.update(bytes, at + 4, (int) (4 + length));
      long stored = readInt(bytes, at + 8 + (int) length) & 0xFFFFFFFFL;
      boolean critical = Character.isUpperCase(type.charAt(0));
      if (crc.getValue() != stored && critical) {
        throw new ImageDecodeException(file, "damaged PNG: CRC mismatch in chunk " + type + " at byte " + at, null);
      }
      if (type.equals("IEND")) {
        return;
      }
      imageData |= type.equals("IDAT");
      at += 12 + (int) length;
    }
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }
}
