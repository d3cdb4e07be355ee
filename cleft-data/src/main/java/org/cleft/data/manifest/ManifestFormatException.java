package org.cleft.data.manifest;

import java.nio.file.Path;

/**
 * A manifest or table that cannot be read at all (missing file, missing column, unterminated quote);
 * unlike a bad row, this is never skipped. The message names the file and, where known, the line.
 */
public class ManifestFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param file the file at fault
   * @param message what is wrong
   */
  public ManifestFormatException(Path file, String message) {
    super(file + ": " + message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param file the file at fault
   * @param message what is wrong
   * @param cause the underlying failure
   */
  public ManifestFormatException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
