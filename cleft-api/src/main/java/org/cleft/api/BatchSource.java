package org.cleft.api;

import java.util.Iterator;

/**
 * A dataset seen as batches, epoch by epoch. The order and augmentation of an epoch are a pure
 * function of the source's seed and the epoch number, so training can be resumed exactly.
 */
public interface BatchSource {

  /**
   * {@return the batches of epoch {@code epoch} (0-based), in a deterministic order}
   *
   * @param epoch the epoch, 0-based
   */
  Iterator<TrainingBatch> epoch(int epoch);

  /** {@return how many batches one epoch yields} */
  int batchesPerEpoch();
}
