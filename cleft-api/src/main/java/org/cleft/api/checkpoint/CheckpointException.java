package org.cleft.api.checkpoint;

import java.io.IOException;

/** A checkpoint file is missing or malformed; the message names the file and the field or tensor. */
public class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message naming the file and field.
   *
   * @param message what is wrong, naming the file and field
   */
  public CheckpointException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the underlying cause.
   *
   * @param message what is wrong, naming the file and field
   * @param cause the underlying failure
   */
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
