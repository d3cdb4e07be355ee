package org.cleft.data.loader;

import org.cleft.api.TextTokenizer;
import org.cleft.data.transform.ImagePipeline;

/** The validated settings of a {@link BatchLoader}; package-private. */
record LoaderSettings(SampleSource source, ImagePipeline pipeline, TextTokenizer tokenizer, int batchSize,
    int threads, int prefetchBatches, long seed, boolean shuffle, boolean dropLast, int maxTokens,
    BadSamplePolicy badSamples, SkippedSamples skipped) {

  LoaderSettings {
    if (source == null || pipeline == null) {
      throw new IllegalArgumentException("BatchLoader needs a sample source and an image pipeline");
    }
    if (badSamples == null) {
      throw new IllegalArgumentException("BatchLoader badSamples policy must not be null");
    }
    requirePositive("batchSize", batchSize);
    requirePositive("threads", threads);
    requirePositive("prefetchBatches", prefetchBatches);
    requirePositive("maxTokens", maxTokens);
  }

  private static void requirePositive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("BatchLoader " + field + " must be positive, got " + value);
    }
  }

  int batchesPerEpoch() {
    int n = source.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }
}
