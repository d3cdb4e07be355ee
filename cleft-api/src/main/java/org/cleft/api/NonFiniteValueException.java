package org.cleft.api;

/** A model computed a NaN or infinite embedding, logit or probability; the message names the output and model. */
public class NonFiniteValueException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message.
   *
   * @param message what was not finite, where, and what to do
   */
  public NonFiniteValueException(String message) {
    super(message);
  }
}
