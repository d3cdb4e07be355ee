package org.cleft.api;

/**
 * One batch for training or evaluation: images, and the texts (image-report pairs) or multi-hot
 * labels (prompt tuning, evaluation) that go with them.
 *
 * @param images the preprocessed images
 * @param texts the tokenised reports, one per image, or null when the batch has none
 * @param labels multi-hot labels, {@code [batch][classes]}, or null when the batch has none
 */
public record TrainingBatch(ImageBatch images, TokenBatch texts, float[][] labels) {

  /**
   * Checks that texts and labels, when present, have one row per image.
   *
   * @param images the preprocessed images
   * @param texts the tokenised reports, one per image, or null when the batch has none
   * @param labels multi-hot labels, {@code [batch][classes]}, or null when the batch has none
   */
  public TrainingBatch {
    if (images == null) {
      throw new IllegalArgumentException("TrainingBatch images must not be null");
    }
    if (texts != null && texts.batch() != images.batch()) {
      throw new IllegalArgumentException("TrainingBatch: " + images.batch() + " images but " + texts.batch() + " texts");
    }
    if (labels != null && labels.length != images.batch()) {
      throw new IllegalArgumentException("TrainingBatch: " + images.batch() + " images but " + labels.length + " label rows");
    }
  }

  /** {@return number of images} */
  public int size() {
    return images.batch();
  }
}
