package org.cleft.api;

import java.nio.file.Path;

/**
 * An image file that cannot be read as an image: missing, truncated, of a format or DICOM transfer syntax that is
 * not supported, or a DICOM object with no pixel data. The message names the file and the reason.
 */
public class ImageReadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The file at fault; not serialised. */
  private final transient Path file;

  /**
   * Creates the exception.
   *
   * @param file the file at fault
   * @param reason why it cannot be read (the file name is added in front)
   * @param cause the decoder's exception, or null
   */
  public ImageReadException(Path file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
    this.file = file;
  }

  /** {@return the file at fault (null after deserialisation)} */
  public Path file() {
    return file;
  }
}
