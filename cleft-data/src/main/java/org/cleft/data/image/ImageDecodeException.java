package org.cleft.data.image;

import java.nio.file.Path;

/**
 * An image file that cannot be decoded: unknown or corrupt format, unsupported layout, or larger
 * than the decoder's pixel limit. The message names the file.
 */
public class ImageDecodeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * Creates the exception.
   *
   * @param file the file at fault (may be null for in-memory sources)
   * @param message what is wrong, without the file name
   * @param cause the underlying failure, or null
   */
  public ImageDecodeException(Path file, String message, Throwable cause) {
    super((file == null ? "<memory>" : file.toString()) + ": " + message, cause);
    this.file = file;
  }

  /** {@return the file at fault, or null for in-memory sources} */
  public Path file() {
    return file;
  }
}
