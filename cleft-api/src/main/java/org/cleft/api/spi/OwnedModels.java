package org.cleft.api.spi;

import java.util.ArrayList;
import java.util.List;
import org.cleft.api.CleftModel;
import org.cleft.api.checkpoint.CheckpointException;

/**
 * The models a backend loaded, which it owns: a load after the backend closed is refused, and closing the backend
 * closes every model once. Thread-safe.
 *
 * @param <M> the backend's model type
 */
public final class OwnedModels<M extends CleftModel> {
  private final String backend;
  private final List<M> models = new ArrayList<>();
  private boolean closed;

  /** Loads a model. */
  @FunctionalInterface
  public interface Loader<M> {
    /**
     * {@return the loaded model}
     *
     * @throws CheckpointException when the checkpoint is missing or malformed
     */
    M load() throws CheckpointException;
  }

  /**
   * Owns the models of one backend.
   *
   * @param backend the backend's name, for messages
   */
  public OwnedModels(String backend) {
    this.backend = backend;
  }

  /**
   * {@return a model loaded now and owned from now on}
   *
   * @param loader loads it
   * @throws CheckpointException when the checkpoint is missing or malformed
   * @throws IllegalStateException when the backend is closed
   */
  public synchronized M load(Loader<M> loader) throws CheckpointException {
    checkOpen();
    M model = loader.load();
    models.add(model);
    return model;
  }

  /**
   * Refuses work once the backend is closed.
   *
   * @throws IllegalStateException naming the backend when it is closed
   */
  public synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException(backend + " backend is closed");
    }
  }

  /** Closes every model loaded, once; idempotent. */
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    models.forEach(CleftModel::close);
    models.clear();
  }
}
