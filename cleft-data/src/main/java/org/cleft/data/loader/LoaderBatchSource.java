package org.cleft.data.loader;

import java.util.Iterator;
import org.cleft.api.BatchSource;
import org.cleft.api.TrainingBatch;

/**
 * A {@link BatchLoader} seen as the API's {@link BatchSource}: each {@link Batch} becomes a
 * {@link TrainingBatch} with its images, its tokens (when the loader tokenises) and its multi-hot
 * labels (when it has any). Order and augmentation stay a pure function of the loader's seed and
 * the epoch, so training on this source resumes exactly.
 */
public final class LoaderBatchSource implements BatchSource {
  private final BatchLoader loader;

  /**
   * Wraps a loader; the loader stays owned by the caller, who closes it.
   *
   * @param loader the loader
   */
  public LoaderBatchSource(BatchLoader loader) {
    this.loader = loader;
  }

  @Override
  public Iterator<TrainingBatch> epoch(int epoch) {
    Iterator<Batch> batches = loader.epoch(epoch);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public TrainingBatch next() {
        return toTrainingBatch(batches.next());
      }
    };
  }

  @Override
  public int batchesPerEpoch() {
    return loader.batchesPerEpoch();
  }

  /**
   * Converts one collated batch.
   *
   * @param batch the loader's batch
   * @return the same images, tokens and labels ({@code [batch][numLabels]}, null when there are none)
   */
  public static TrainingBatch toTrainingBatch(Batch batch) {
    float[][] labels = null;
    if (batch.numLabels() > 0) {
      labels = new float[batch.size()][batch.numLabels()];
      for (int i = 0; i < labels.length; i++) {
        System.arraycopy(batch.labels(), i * batch.numLabels(), labels[i], 0, batch.numLabels());
      }
    }
    return new TrainingBatch(batch.images(), batch.tokens().orElse(null), labels);
  }
}
