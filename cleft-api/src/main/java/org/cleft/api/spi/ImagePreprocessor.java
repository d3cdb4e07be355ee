package org.cleft.api.spi;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageReadException;
import org.cleft.api.vision.PixelImage;

/**
 * Decodes image files and turns images into the tensors a model takes: the service behind {@link
 * org.cleft.api.CleftModel#classify(Path)} and the other one-call methods. {@code cleft-data} provides it (every
 * backend depends on {@code cleft-data}), found through {@link ServiceLoader}; an application does not call it.
 * Implementations are thread-safe.
 */
public interface ImagePreprocessor {

  /**
   * Decodes an image file, its format told by its bytes: DICOM (with or without preamble and file meta), PNG, JPEG
   * or TIFF. Grey images come out grey; a colour DICOM keeps its three channels.
   *
   * @param file the file
   * @return the decoded image
   * @throws ImageReadException naming the file and the reason when it is not a readable image
   */
  PixelImage decode(Path file);

  /**
   * {@return an image as the decoders would give it: grey, 8 bits (16-bit samples by their high byte)}
   *
   * @param image an image in any of Java's pixel layouts
   */
  PixelImage fromBufferedImage(BufferedImage image);

  /**
   * The reference evaluation preprocessing (resize and pad, Otsu crop, resize, centre crop to {@code size},
   * normalisation to [-1, 1]), deterministic, of each image, stacked into one batch.
   *
   * @param images at least one image
   * @param size the side of the square input the model takes
   * @return the batch, one image per row in order
   */
  ImageBatch evaluationBatch(List<? extends PixelImage> images, int size);

  /**
   * {@return the preprocessor on the class path (the first {@link ServiceLoader} finds)}
   *
   * @throws IllegalStateException when there is none: {@code cleft-data} is missing from the class path
   */
  static ImagePreprocessor find() {
    ImagePreprocessor found = FoundPreprocessor.INSTANCE;
    if (found == null) {
      throw new IllegalStateException("no " + ImagePreprocessor.class.getName() + " on the class path: add the "
          + "org.cleft:cleft-data dependency (every backend brings it), or preprocess images yourself and pass an "
          + "ImageBatch to a ZeroShotClassifier or ImageEncoder");
    }
    return found;
  }
}
