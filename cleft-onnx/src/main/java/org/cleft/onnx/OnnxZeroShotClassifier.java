package org.cleft.onnx;

import java.util.List;
import org.cleft.api.Classification;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageEncoder;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.data.transform.ImageTensor;

/**
 * Zero-shot classification on ONNX Runtime: the class text embeddings are computed once, when the
 * classifier is made; each call encodes only the images. Immutable apart from the model it reads,
 * so one instance can serve every thread of an application.
 */
public final class OnnxZeroShotClassifier implements ZeroShotClassifier {
  private final List<String> classNames;
  private final Embeddings classes;
  private final double scale;
  private final ImageEncoder images;

  OnnxZeroShotClassifier(List<String> classNames, Embeddings classes, float logitScale, ImageEncoder images) {
    if (classNames.size() != classes.rows()) {
      throw new IllegalArgumentException("onnx: " + classNames.size() + " class names but " + classes.rows()
          + " class embeddings");
    }
    if (classes.dim() != images.embeddingDim()) {
      throw new IllegalArgumentException("onnx: class embeddings are " + classes.dim() + " wide but the image "
          + "encoder's are " + images.embeddingDim());
    }
    this.classNames = List.copyOf(classNames);
    this.classes = classes;
    this.scale = Math.exp(logitScale);
    this.images = images;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public Embeddings classEmbeddings() {
    return classes;
  }

  /** Classifies a batch of preprocessed images: one row of logits and probabilities per image. */
  @Override
  public Classification classify(ImageBatch batch) {
    return Classification.fromLogits(classNames, images.encode(batch).similarity(classes, scale));
  }

  /**
   * Classifies one preprocessed image (for example from {@code ImagePipeline.evaluation(size)}).
   *
   * @param image a CHW float image of the size the image graph takes
   * @return a classification with one row
   */
  public Classification classify(ImageTensor image) {
    return classify(new ImageBatch(image.data(), 1, image.channels(), image.height(), image.width()));
  }

  /** Nothing to release: the model owns the sessions. */
  @Override
  public void close() {}
}
