package org.cleft.examples.cli;

/**
 * A failure the user can act on (a missing tool, a file that cannot be written); reported on one
 * line with its hint, exit code 1.
 */
public final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** What to do about it, printed after the message. */
  private final String hint;

  /**
   * Creates a failure.
   *
   * @param message what went wrong, naming the file or option
   * @param hint what to do about it
   */
  public CliFailure(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  /**
   * Creates a failure with its cause.
   *
   * @param message what went wrong, naming the file or option
   * @param hint what to do about it
   * @param cause the underlying exception
   */
  public CliFailure(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /**
   * What to do about it.
   *
   * @return the hint
   */
  public String hint() {
    return hint;
  }
}
