package org.cleft.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleft.api.TextTokenizer;
import org.cleft.data.loader.BadSamplePolicy;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.SampleSource;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestLoader;
import org.cleft.data.manifest.ManifestSpec;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.UncertainPolicy;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.RandomResizedCrop;

/** Manifests turned into the batch loaders of the training commands. */
final class TrainingData {
  private TrainingData() {}

  /** Loads a CSV/JSONL manifest, skipping (and reporting) bad rows. */
  static LoadedDataset manifest(Path file, String imageColumn, String textColumn, List<String> labels, String option) {
    if (!Files.isRegularFile(file)) {
      throw new CliFailure(file + ": manifest not found", "pass " + option + " a CSV or JSONL file with columns "
          + imageColumn + ", " + textColumn + (labels.isEmpty() ? "" : " and " + String.join(", ", labels)));
    }
    try {
      ManifestSpec spec = new ManifestSpec(imageColumn, textColumn, labels, UncertainPolicy.ZEROS, RowPolicy.SKIP);
      LoadedDataset d = new ManifestLoader(spec).load(file);
      if (d.samples().isEmpty()) {
        throw new CliFailure(file + ": no usable rows (" + d.skips() + ")", "check the column names and image paths");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new CliFailure(e.getMessage(), "check " + option + " and its column options", e);
    }
  }

  /**
   * A shuffled, augmented training loader (the reference pipeline; {@code minCropScale} is the random
   * resized crop's smallest area fraction, torchvision's 0.08 by default).
   */
  static BatchLoader training(LoadedDataset data, TextTokenizer tokenizer, int maxTokens, int imageSize,
      double minCropScale, int batchSize, int threads, long seed, BadSamplePolicy badSamples) {
    int batch = Math.min(batchSize, data.samples().size());
    ImagePipeline pipeline = ImagePipeline.training(new RandomResizedCrop(imageSize, minCropScale, 1, 3 / 4.0, 4 / 3.0));
    BatchLoader.Builder b = BatchLoader.builder(sources(data), pipeline).optBatchSize(batch)
        .optThreads(threads).optSeed(seed).optShuffle(true).optDropLast(true).optBadSamples(badSamples);
    if (tokenizer != null) {
      b.optTokenizer(tokenizer).optMaxTokens(maxTokens);
    }
    return b.build();
  }

  /** An evaluation loader in file order (tokenised when a tokenizer is given, for retrieval). */
  static BatchLoader evaluation(LoadedDataset data, TextTokenizer tokenizer, int maxTokens, int imageSize,
      int batchSize, int threads, BadSamplePolicy badSamples) {
    BatchLoader.Builder b = BatchLoader.builder(sources(data), ImagePipeline.evaluation(imageSize))
        .optBatchSize(batchSize).optThreads(threads).optShuffle(false).optDropLast(false).optBadSamples(badSamples);
    if (tokenizer != null) {
      b.optTokenizer(tokenizer).optMaxTokens(maxTokens);
    }
    return b.build();
  }

  /** The samples with decoders attached (DICOM through cleft-data's reader). */
  private static SampleSource sources(LoadedDataset data) {
    return new EvalData(data.name(), data.classNames(), data).samples();
  }
}
