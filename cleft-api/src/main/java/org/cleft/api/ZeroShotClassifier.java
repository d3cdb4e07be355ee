package org.cleft.api;

import java.util.List;

/**
 * Classifies images against a fixed set of classes whose text embeddings were computed once
 * (from captions or from learned context prompts). Implementations are safe to share across threads.
 */
public interface ZeroShotClassifier extends AutoCloseable {

  /** {@return the classes, in column order} */
  List<String> classNames();

  /** {@return the class text embeddings (L2-normalised), one row per class} */
  Embeddings classEmbeddings();

  /**
   * Classifies a batch of preprocessed images.
   *
   * @param images the preprocessed images
   * @return the class probabilities of each image
   */
  Classification classify(ImageBatch images);

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
