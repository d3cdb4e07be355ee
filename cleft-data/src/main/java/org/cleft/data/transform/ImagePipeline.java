package org.cleft.data.transform;

import java.util.List;
import java.util.random.RandomGenerator;
import org.cleft.data.image.UInt8Image;

/**
 * A sequence of {@link ImageTransform}s followed by a {@link Normalization}: decoded grey image in,
 * model-ready CHW tensor out. Immutable and thread-safe; randomness comes only from the generator
 * passed to {@link #apply}.
 *
 * @param steps the transforms, in order
 * @param normalization the final tensor conversion
 */
public record ImagePipeline(List<ImageTransform> steps, Normalization normalization) {

  /**
   * Validates and copies the step list.
   *
   * @param steps the transforms, in order
   * @param normalization the final tensor conversion
   */
  public ImagePipeline {
    if (steps == null || normalization == null) {
      throw new IllegalArgumentException("ImagePipeline needs steps and a normalization");
    }
    steps = List.copyOf(steps);
  }

  /**
   * The reference evaluation pipeline: {@code resize_img(256)} (INTER_AREA, zero pad), grey to RGB,
   * Otsu crop, {@code Resize((256, 256))}, {@code CenterCrop(224)}, normalisation to [-1, 1].
   *
   * @return the pipeline
   */
  public static ImagePipeline evaluation() {
    return evaluation(224);
  }

  /**
   * The evaluation pipeline for another model input size: as {@link #evaluation()} with 256 and 224
   * scaled to {@code round(size * 256 / 224)} and {@code size} (the reference sizes for 224).
   *
   * @param size the model's input side in pixels
   * @return the pipeline
   */
  public static ImagePipeline evaluation(int size) {
    int resize = resizeFor(size);
    return new ImagePipeline(List.of(new ResizeAndPad(resize), new GreyToRgb(), new OtsuCrop(),
        new BilinearResize(resize, resize), new CenterCrop(size)), Normalization.HALF);
  }

  /**
   * The training pipeline for another model input size: as {@link #training()} with 256 and 224
   * scaled as in {@link #evaluation(int)}.
   *
   * @param size the model's input side in pixels
   * @return the pipeline
   */
  public static ImagePipeline training(int size) {
    return training(RandomResizedCrop.withDefaults(size), resizeFor(size));
  }

  private static int resizeFor(int size) {
    if (size < 8) {
      throw new IllegalArgumentException("image size must be at least 8, got " + size);
    }
    return (int) Math.round(size * 256.0 / 224.0);
  }

  /**
   * The training pipeline: as {@link #evaluation()} up to {@code Resize((256, 256))}, then a
   * {@link RandomResizedCrop} to 224 with torchvision's default scale and ratio ranges and a
   * horizontal flip with probability 0.5.
   *
   * @return the pipeline
   */
  public static ImagePipeline training() {
    return training(RandomResizedCrop.withDefaults(224));
  }

  /**
   * The training pipeline with a given random resized crop (the resize before it scales with the
   * crop's size as in {@link #evaluation(int)}: 256 for 224).
   *
   * @param crop the crop (its size is the output size)
   * @return the pipeline
   */
  public static ImagePipeline training(RandomResizedCrop crop) {
    return training(crop, resizeFor(crop.size()));
  }

  private static ImagePipeline training(RandomResizedCrop crop, int resize) {
    return new ImagePipeline(List.of(new ResizeAndPad(resize), new GreyToRgb(), new OtsuCrop(),
        new BilinearResize(resize, resize), crop, new HorizontalFlip(0.5)), Normalization.HALF);
  }

  /**
   * Runs every step, then normalises.
   *
   * @param image the decoded image
   * @param random the generator for this sample
   * @return the tensor
   */
  public ImageTensor apply(UInt8Image image, RandomGenerator random) {
    return normalization.apply(transform(image, random));
  }

  /**
   * Runs every step without the final normalisation.
   *
   * @param image the decoded image
   * @param random the generator for this sample
   * @return the transformed image
   */
  public UInt8Image transform(UInt8Image image, RandomGenerator random) {
    UInt8Image out = image;
    for (ImageTransform step : steps) {
      out = step.apply(out, random);
    }
    return out;
  }
}
