package org.cleft.data.dicom;

import java.nio.file.Path;

/**
 * A DICOM file that is corrupt, truncated, or describes an image this reader refuses (for example one
 * larger than the configured pixel limit). The message names the file and, where known, the byte offset
 * and the tag at fault.
 */
public class DicomFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception for a problem at a known offset.
   *
   * @param file the file being read
   * @param offset the byte offset in the file where the problem was found
   * @param message what is wrong (should name the tag)
   */
  public DicomFormatException(Path file, long offset, String message) {
    super(file + ": " + message + " (at byte offset " + offset + ")");
  }

  /**
   * Creates an exception for a problem not tied to one offset.
   *
   * @param file the file being read
   * @param message what is wrong
   */
  public DicomFormatException(Path file, String message) {
    super(file + ": " + message);
  }

  /**
   * Creates an exception with a cause (for example an image decoder failure).
   *
   * @param file the file being read
   * @param message what is wrong
   * @param cause the underlying failure
   */
  public DicomFormatException(Path file, String message, Throwable cause) {
    super(file + ": " + message + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
  }
}
