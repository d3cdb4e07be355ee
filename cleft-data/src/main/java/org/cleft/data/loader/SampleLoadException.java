package org.cleft.data.loader;

/**
 * A sample that could not be loaded or transformed on a worker thread; carries the sample index
 * and the original failure as its cause.
 */
public class SampleLoadException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The index of the failed sample in its source. */
  private final int index;

  /**
   * Creates the exception.
   *
   * @param index the index of the sample in its source
   * @param what a description of the sample (for example its file)
   * @param cause the failure
   */
  public SampleLoadException(int index, String what, Throwable cause) {
    super("sample " + index + " (" + what + "): " + cause, cause);
    this.index = index;
  }

  /** {@return the index of the failed sample in its source} */
  public int index() {
    return index;
  }
}
