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

  /**
   * {@return the side of the square images this model takes (its checkpoint's input size, see
   * {@link org.cleft.api.checkpoint.CleftCheckpoint#imageSize()}); 0 for an encoder that takes any multiple of
   * the patch size}. Every backend refuses other sizes with the same message ({@link #checkInputSize}).
   */
  default int inputSize() {
    return 0;
  }

  /**
   * Refuses a batch whose images are not {@code size} x {@code size}, with one message for every backend.
   *
   * @param images the batch
   * @param size the size the model takes, or 0 for any
   * @throws IllegalArgumentException naming both sizes and how to preprocess
   */
  static void checkInputSize(ImageBatch images, int size) {
    if (size > 0 && (images.height() != size || images.width() != size)) {
      throw new IllegalArgumentException("image size " + images.height() + "x" + images.width() + " differs from "
          + "the " + size + "x" + size + " this model takes; preprocess the images to that size (ImagePipeline"
          + ".evaluation(" + size + "), as cleft's commands do)");
    }
  }

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
