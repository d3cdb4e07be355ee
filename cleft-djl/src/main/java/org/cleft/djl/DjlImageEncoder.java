package org.cleft.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageEncoder;

/**
 * The image tower and projection on DJL. Every call runs in its own {@link NDScope} and sub-manager,
 * so no native array outlives it; safe to call from several threads.
 */
public final class DjlImageEncoder implements ImageEncoder {
  private final CleftNetwork network;
  private final NDManager manager;
  private final int inputSize;

  DjlImageEncoder(CleftNetwork network, NDManager manager, int inputSize) {
    this.network = network;
    this.manager = manager;
    this.inputSize = inputSize;
  }

  /**
   * {@return an encoder over the same tower that takes {@code size} x {@code size} images (0: any multiple of the
   * patch size, interpolating the position embeddings as HF does), for trainers that evaluate at their training
   * size}
   *
   * @param size the input size, or 0 for any
   */
  public DjlImageEncoder forSize(int size) {
    return new DjlImageEncoder(network, manager, size);
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public Embeddings encode(ImageBatch images) {
    int channels = network.vision().channels();
    if (images.channels() != channels) {
      throw new IllegalArgumentException("djl: images have " + images.channels() + " channels; the vision tower "
          + "expects " + channels);
    }
    ImageEncoder.checkInputSize(images, inputSize);
    int p = network.vision().patchSize();
    if (images.height() % p != 0 || images.width() % p != 0) {
      throw new IllegalArgumentException("djl: image size " + images.height() + "x" + images.width()
          + " is not a multiple of the patch size " + p);
    }
    try (NDScope scope = new NDScope(); NDManager sub = manager.newSubManager()) {
      NDArray pixels = sub.create(images.pixels(), new Shape(images.shape()));
      NDArray embeds = network.encodeImages(pixels).embeds();
      return new Embeddings(embeds.toFloatArray(), images.batch(), embeddingDim());
    }
  }

  @Override
  public int embeddingDim() {
    return network.embeddingDim();
  }

  /** Closing an encoder is a no-op: its model owns the native memory. */
  @Override
  public void close() {}
}
