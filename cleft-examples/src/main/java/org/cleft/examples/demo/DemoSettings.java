package org.cleft.examples.demo;

import java.nio.file.Path;

/**
 * Sizes and schedule of the demo. The defaults fit the 10-minute target on 2 CPU cores: a 2-layer
 * ViT (width 64, 14-pixel patches at 56 pixels, 2 registers) and a 2-layer GPT-2 (width 64, the GPT-2
 * vocabulary), a 32-wide embedding space.
 *
 * @param out the output folder
 * @param trainImages training images (balanced over the five classes)
 * @param heldOutImages held-out images (balanced)
 * @param sourceSize side of the generated PNGs
 * @param imageSize model input size (multiple of 14)
 * @param textWidth GPT-2 width
 * @param textLayers GPT-2 layers
 * @param visionWidth ViT width
 * @param visionLayers ViT layers
 * @param embeddingDim shared embedding width
 * @param steps pre-training steps
 * @param batchSize images per step
 * @param learningRate pre-training peak learning rate (AdamW, cosine with warm-up)
 * @param promptSteps prompt-tuning steps
 * @param promptContext learned context vectors
 * @param promptLearningRate prompt-tuning learning rate (SGD with momentum 0.9, constant: the paper's optimiser)
 * @param threads image decoding and generation threads
 * @param seed the seed of everything
 */
public record DemoSettings(Path out, int trainImages, int heldOutImages, int sourceSize, int imageSize, int textWidth,
    int textLayers, int visionWidth, int visionLayers, int embeddingDim, long steps, int batchSize, double learningRate,
    long promptSteps, int promptContext, double promptLearningRate, int threads, long seed) {

  /**
   * Validates the sizes.
   *
   * @param out the output folder
   * @param trainImages training images (balanced over the five classes)
   * @param heldOutImages held-out images (balanced)
   * @param sourceSize side of the generated PNGs
   * @param imageSize model input size (multiple of 14)
   * @param textWidth GPT-2 width
   * @param textLayers GPT-2 layers
   * @param visionWidth ViT width
   * @param visionLayers ViT layers
   * @param embeddingDim shared embedding width
   * @param steps pre-training steps
   * @param batchSize images per step
   * @param learningRate pre-training peak learning rate (AdamW, cosine with warm-up)
   * @param promptSteps prompt-tuning steps
   * @param promptContext learned context vectors
   * @param promptLearningRate prompt-tuning learning rate (SGD with momentum 0.9, constant: the paper's optimiser)
   * @param threads image decoding and generation threads
   * @param seed the seed of everything
   */
  public DemoSettings {
    if (trainImages < batchSize || heldOutImages < 5) {
      throw new IllegalArgumentException("the demo needs at least one batch (" + batchSize + ") of training images and "
          + "5 held-out images, got " + trainImages + " and " + heldOutImages);
    }
    if (imageSize % 14 != 0) {
      throw new IllegalArgumentException("image size must be a multiple of 14, got " + imageSize);
    }
    if (steps <= 0 || promptSteps <= 0) {
      throw new IllegalArgumentException("steps and prompt steps must be positive");
    }
  }

  /**
   * The default demo writing to {@code out}.
   *
   * @param out the output folder
   * @return the settings
   */
  public static DemoSettings defaults(Path out) {
    return new DemoSettings(out, 1500, 250, 64, 56, 64, 2, 64, 2, 32, 600, 32, 5e-4, 150, 10, 1e-4, 2, 0);
  }

  /**
   * These settings with other step counts (tests use fewer).
   *
   * @param newSteps pre-training steps
   * @param newPromptSteps prompt-tuning steps
   * @param newTrainImages training images
   * @return the settings
   */
  public DemoSettings withSteps(long newSteps, long newPromptSteps, int newTrainImages) {
    return new DemoSettings(out, newTrainImages, heldOutImages, sourceSize, imageSize, textWidth, textLayers,
        visionWidth, visionLayers, embeddingDim, newSteps, batchSize, learningRate, newPromptSteps, promptContext,
        promptLearningRate, threads, seed);
  }

  /**
   * These settings with another seed and output folder (one run of a multi-seed demo).
   *
   * @param newOut the output folder
   * @param newSeed the seed of everything: data, initialisation, shuffling, augmentation
   * @return the settings
   */
  public DemoSettings withSeed(Path newOut, long newSeed) {
    return new DemoSettings(newOut, trainImages, heldOutImages, sourceSize, imageSize, textWidth, textLayers,
        visionWidth, visionLayers, embeddingDim, steps, batchSize, learningRate, promptSteps, promptContext,
        promptLearningRate, threads, newSeed);
  }
}
