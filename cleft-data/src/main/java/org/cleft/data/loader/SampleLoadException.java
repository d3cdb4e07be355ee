package org.cleft.data.loader;

/**
 * A sample that could not be loaded or transformed on a worker thread; carries the sample index
 * and the original failure as its cause.
 */
public class SampleLoadException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The index of the failed sample in its source. */
  private final int index;
  /** What the sample is (its file). */
  private final String what;

  /**
   * Creates the exception.
   *
   * @param index the index of the sample in its source
   * @param what a description of the sample (for example its file)
   * @param cause the failure
   */
  public SampleLoadException(int index, String what, Throwable cause) {
    super("sample " + index + " (" + what + "): " + (cause == null ? "failed" : cause.getMessage() != null
        ? cause.getMessage() : cause.toString()), cause);
    this.index = index;
    this.what = what;
  }

  /** {@return what the sample is, usually its image file} */
  public String file() {
    return what;
  }

  /** {@return the index of the failed sample in its source} */
  public int index() {
    return index;
  }
}
