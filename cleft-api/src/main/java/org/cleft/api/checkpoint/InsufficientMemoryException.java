package org.cleft.api.checkpoint;

/**
 * A checkpoint is fine but its weights need more memory than is available; the message gives both figures and what
 * to change. Thrown before loading starts ({@link MemoryBudget}).
 */
public class InsufficientMemoryException extends CheckpointException {
  private static final long serialVersionUID = 1L;
  /** The bytes the load would hold. */
  private final long needed;
  /** The bytes that were available. */
  private final long available;

  /**
   * Creates the exception.
   *
   * @param message what was being loaded, both figures and the fix
   * @param needed the bytes the load would hold
   * @param available the bytes available
   */
  public InsufficientMemoryException(String message, long needed, long available) {
    super(message);
    this.needed = needed;
    this.available = available;
  }

  /** {@return the bytes the load would hold} */
  public long needed() {
    return needed;
  }

  /** {@return the bytes that were available} */
  public long available() {
    return available;
  }
}
