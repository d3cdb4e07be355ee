package org.cleft.djl;

import java.util.List;
import org.cleft.api.Classification;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageEncoder;
import org.cleft.api.ZeroShotClassifier;

/** Zero-shot classification with class embeddings computed once; thread-safe. */
public final class DjlZeroShotClassifier implements ZeroShotClassifier {
  private final List<String> classNames;
  private final Embeddings classes;
  private final double scale;
  private final ImageEncoder images;

  /**
   * A classifier over fixed class embeddings.
   *
   * @param classNames the classes, in embedding-row order
   * @param classes the class text embeddings (L2-normalised)
   * @param logitScale the log-temperature
   * @param images the image encoder
   */
  public DjlZeroShotClassifier(List<String> classNames, Embeddings classes, float logitScale, ImageEncoder images) {
    if (classNames.size() != classes.rows()) {
      throw new IllegalArgumentException("djl: " + classNames.size() + " class names but " + classes.rows()
          + " class embeddings");
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

  @Override
  public Classification classify(ImageBatch batch) {
    return Classification.fromLogits(classNames, images.encode(batch).similarity(classes, scale));
  }

  /** Nothing to release: the model owns the native memory. */
  @Override
  public void close() {}
}
