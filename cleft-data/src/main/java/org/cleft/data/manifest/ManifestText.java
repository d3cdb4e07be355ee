package org.cleft.data.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A manifest file's text, decoded as strict UTF-8: a byte sequence that is not UTF-8 is reported with its line
 * and byte offset (a manifest exported from a spreadsheet in Latin-1 or Windows-1252 is the usual cause).
 */
final class ManifestText {
  private ManifestText() {}

  /**
   * Reads and decodes a file.
   *
   * @throws ManifestFormatException when the file is missing or not UTF-8 (naming the line and byte offset)
   * @throws UncheckedIOException when it cannot be read
   */
  static String read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ManifestFormatException(file, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + file + ": " + e.getMessage(), e);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) { // LF, CRLF and CR-only line ends
        line += bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n') ? 1 : 0;
      }
      throw new ManifestFormatException(file, "line " + line + ", byte offset " + offset + ": bytes "
          + hex(bytes, offset, result.length()) + " are not UTF-8; save the manifest as UTF-8 (e.g. iconv -f "
          + "WINDOWS-1252 -t UTF-8)");
    }
    try {
      decoder.flush(out);
    } catch (IllegalStateException e) {
      throw new UncheckedIOException(new CharacterCodingException());
    }
    out.flip();
    return out.toString();
  }

  private static String hex(byte[] bytes, int from, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < Math.min(bytes.length, from + Math.max(1, length)); i++) {
      b.append(b.length() == 0 ? "" : " ").append(String.format("%02X", bytes[i] & 0xFF));
    }
    return b.toString();
  }
}
