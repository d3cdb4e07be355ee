package org.cleft.api;

/** The image tower of a CLEFT model plus its projection: images to L2-normalised embeddings. */
public interface ImageEncoder extends AutoCloseable {

  /**
   * Encodes a batch of preprocessed images.
   *
   * @param images NCHW float pixels, normalised as the model was trained
   * @return one L2-normalised embedding per image
   * @throws IllegalArgumentException when the channel count or image size does not suit the tower
   */
  Embeddings encode(ImageBatch images);

  /** {@return width of the embeddings} */
  int embeddingDim();

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
