package org.cleft.api;

import java.util.Iterator;

/**
 * A dataset seen as batches, epoch by epoch. The order and augmentation of an epoch are a pure
 * function of the source's seed and the epoch number, so training can be resumed exactly.
 */
public interface BatchSource {

  /** The batches of epoch {@code epoch} (0-based), in a deterministic order. */
  Iterator<TrainingBatch> epoch(int epoch);

  /** How many batches one epoch yields. */
  int batchesPerEpoch();
}
