package org.cleft.examples.cli;

import java.util.Iterator;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageEncoder;
import org.cleft.data.loader.Batch;
import org.cleft.data.loader.BadSamplePolicy;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.SampleSource;
import org.cleft.data.transform.ImagePipeline;

/** Encodes every image of a sample source, in source order, with the evaluation preprocessing. */
final class ImageFeatures {
  private ImageFeatures() {}

  /**
   * The image embeddings of every sample.
   *
   * @param encoder the image tower
   * @param samples the images
   * @param imageSize the model input size
   * @param batchSize images per forward pass
   * @param threads loader threads
   * @return one row per sample, in source order
   */
  static float[][] encode(ImageEncoder encoder, SampleSource samples, int imageSize, int batchSize, int threads) {
    // one row per sample is the contract (the probe's labels): an undecodable image stops
    return encode(encoder, samples, imageSize, batchSize, threads, BadSamplePolicy.STOP);
  }

  /**
   * The image embeddings of the samples, an undecodable one skipped (its row null; the loader logs each skip with
   * the file and the reason) or stopping the run, as {@code badSamples} says.
   *
   * @param encoder the image tower
   * @param samples the images
   * @param imageSize the model input size
   * @param batchSize images per forward pass
   * @param threads loader threads
   * @param badSamples skip or stop at an image that cannot be decoded
   * @return one row per sample, in source order; null for a skipped one
   */
  static float[][] encode(ImageEncoder encoder, SampleSource samples, int imageSize, int batchSize, int threads,
      BadSamplePolicy badSamples) {
    float[][] out = new float[samples.size()][];
    try (BatchLoader loader = loader(samples, imageSize, batchSize, threads, badSamples)) {
      Iterator<Batch> batches = loader.epoch(0);
      while (batches.hasNext()) {
        Batch b = batches.next();
        Embeddings e = encoder.encode(b.images());
        for (int i = 0; i < b.size(); i++) {
          out[b.indices()[i]] = e.row(i);
        }
      }
    }
    return out;
  }

  /** An evaluation loader: no shuffle, no augmentation, every sample once. */
  static BatchLoader loader(SampleSource samples, int imageSize, int batchSize, int threads,
      BadSamplePolicy badSamples) {
    return BatchLoader.builder(samples, ImagePipeline.evaluation(imageSize)).optBatchSize(batchSize)
        .optThreads(threads).optShuffle(false).optBadSamples(badSamples).build();
  }
}
