package org.cleft.onnx;

import java.util.List;
import org.cleft.api.Classification;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageEncoder;
import org.cleft.api.EmbeddingClassifier;
import org.cleft.data.transform.ImageTensor;

/**
 * Zero-shot classification on ONNX Runtime: the class text embeddings are computed once, when the
 * classifier is made; each call encodes only the images. Immutable apart from the model it reads,
 * so one instance can serve every thread of an application.
 */
public final class OnnxZeroShotClassifier extends EmbeddingClassifier {

  OnnxZeroShotClassifier(List<String> classNames, Embeddings classes, float logitScale, ImageEncoder images) {
    super(OnnxBackendProvider.NAME, classNames, classes, logitScale, images);
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
}
