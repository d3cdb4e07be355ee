package org.cleft.api.spi;

import java.nio.file.Path;
import org.cleft.api.CleftModel;
import org.cleft.api.checkpoint.CheckpointException;

/**
 * A created backend: loads checkpoints into models (and, for training backends, makes trainers).
 * Owns the native engine state it created; closing it closes every model it loaded.
 */
public interface Backend extends AutoCloseable {

  /** {@return the provider name of this backend} */
  String name();

  /**
   * Loads a CLEFT checkpoint directory (see {@link org.cleft.api.checkpoint.CleftCheckpoint}).
   *
   * @param checkpoint the checkpoint directory
   * @return the loaded model, which the caller closes
   * @throws CheckpointException when a file is missing or malformed (the message names it)
   */
  CleftModel load(Path checkpoint) throws CheckpointException;

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
