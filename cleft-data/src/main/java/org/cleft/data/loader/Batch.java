package org.cleft.data.loader;

import java.util.Optional;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;

/**
 * A collated batch: images, tokenised captions (when the loader has a tokenizer), multi-hot labels
 * and the source indices of its samples.
 *
 * @param images the transformed images, NCHW
 * @param tokens the tokenised captions, or empty without a tokenizer
 * @param labels {@code batch * numLabels} floats, row-major
 * @param numLabels labels per sample
 * @param indices the source index of each sample, in batch order
 */
public record Batch(ImageBatch images, Optional<TokenBatch> tokens, float[] labels, int numLabels, int[] indices) {

  /**
   * Validates the parts against each other.
   *
   * @param images the transformed images, NCHW
   * @param tokens the tokenised captions, or empty without a tokenizer
   * @param labels {@code batch * numLabels} floats, row-major
   * @param numLabels labels per sample
   * @param indices the source index of each sample, in batch order
   */
  public Batch {
    if (images == null || tokens == null || labels == null || indices == null) {
      throw new IllegalArgumentException("Batch parts must not be null");
    }
    if (indices.length != images.batch() || labels.length != (long) images.batch() * numLabels) {
      throw new IllegalArgumentException("Batch of " + images.batch() + " images has " + indices.length
          + " indices and " + labels.length + " label values for " + numLabels + " labels");
    }
  }

  /** {@return number of samples} */
  public int size() {
    return images.batch();
  }
}
