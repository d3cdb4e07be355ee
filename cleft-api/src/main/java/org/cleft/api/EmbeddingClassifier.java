package org.cleft.api;

import java.nio.file.Path;
import java.util.List;
import org.cleft.api.checkpoint.FiniteCheck;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;

/**
 * Zero-shot classification over fixed class embeddings, the same on every engine: the class text
 * embeddings are computed (or read) once when the classifier is made; each call encodes only the
 * images and scores them as {@code exp(logit_scale) * image @ classes^T}. Immutable apart from the
 * image encoder it calls, so one instance can serve every thread when the encoder is thread-safe.
 */
public class EmbeddingClassifier implements ZeroShotClassifier {
  private final List<String> classNames;
  private final Embeddings classes;
  private final double scale;
  private final ImageEncoder images;
  private final String backend;

  /**
   * A classifier over fixed class embeddings.
   *
   * @param backend the backend's name, for messages
   * @param classNames the classes, in embedding-row order
   * @param classes the class text embeddings (L2-normalised)
   * @param logitScale the log-temperature
   * @param images the image encoder
   * @throws IllegalArgumentException when the names, the embeddings and the encoder do not fit together
   * @throws NonFiniteValueException when {@code logitScale} or a class embedding is not finite
   */
  public EmbeddingClassifier(String backend, List<String> classNames, Embeddings classes, float logitScale,
      ImageEncoder images) {
    if (classNames.size() != classes.rows()) {
      throw new IllegalArgumentException(backend + ": " + classNames.size() + " class names but " + classes.rows()
          + " class embeddings");
    }
    if (classes.dim() != images.embeddingDim()) {
      throw new IllegalArgumentException(backend + ": class embeddings are " + classes.dim() + " wide but the image "
          + "encoder's are " + images.embeddingDim());
    }
    if (!Float.isFinite(logitScale)) {
      throw new NonFiniteValueException(backend + ": logit_scale is " + logitScale + "; the checkpoint's heads are "
          + "damaged (a diverged run? keep its last good checkpoint)");
    }
    FiniteCheck.outputs(classes.data(), "class embeddings", backend);
    this.classNames = List.copyOf(classNames);
    this.classes = classes;
    this.scale = Math.exp(logitScale);
    this.images = images;
    this.backend = backend;
  }

  /**
   * The learned class embeddings of a prompt file (tensor {@code class_embeds}, see {@link PromptLearner}).
   *
   * @param promptFile the checkpoint's prompt safetensors file
   * @return {@code [classes, dim]}
   * @throws SafetensorsException when the file or the tensor is missing or malformed
   */
  public static Embeddings promptClassEmbeddings(Path promptFile) throws SafetensorsException {
    try (SafetensorsFile f = SafetensorsFile.open(promptFile)) {
      long[] shape = f.info("class_embeds").shape();
      return new Embeddings(f.floats("class_embeds"), (int) shape[0], (int) shape[1]);
    }
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
    Embeddings embeds = images.encode(batch);
    FiniteCheck.outputs(embeds.data(), "image embeddings", backend);
    return Classification.fromLogits(classNames, embeds.similarity(classes, scale));
  }

  /** Nothing to release: the model that owns the encoder owns the native memory. */
  @Override
  public void close() {}
}
