package org.cleft.api.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file (or a sharded index) that is missing, malformed, or lacks a tensor asked for.
 * The message always names the file and, where one is involved, the tensor.
 */
public class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with a complete message.
   *
   * @param message what went wrong, naming the file and tensor
   */
  public SafetensorsException(String message) {
    super(message);
  }

  /**
   * An exception with a complete message and the underlying cause.
   *
   * @param message what went wrong, naming the file and tensor
   * @param cause the failure underneath
   */
  public SafetensorsException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code "<file>: <detail>"}. */
  static SafetensorsException of(Path file, String detail) {
    return new SafetensorsException(file + ": " + detail);
  }

  /** {@code "<file>: tensor '<name>': <detail>"}. */
  static SafetensorsException of(Path file, String tensor, String detail) {
    return new SafetensorsException(file + ": tensor '" + tensor + "': " + detail);
  }
}
