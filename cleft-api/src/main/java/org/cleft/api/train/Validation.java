package org.cleft.api.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.cleft.api.BatchSource;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageEncoder;
import org.cleft.api.TextEncoder;
import org.cleft.api.TrainingBatch;
import org.cleft.api.eval.Retrieval;

/**
 * Image-text retrieval on a validation source whose batches carry texts (pairs in order): what contrastive
 * pre-training evaluates on every engine, through the API's encoders.
 */
public final class Validation {
  private Validation() {}

  /**
   * {@return recall@1/5 both ways over the whole source, or nothing when its batches have no texts}
   *
   * @param images the image encoder (at the size the batches have)
   * @param texts the text encoder
   * @param data the validation batches, image-report pairs
   */
  public static Map<String, Double> retrieval(ImageEncoder images, TextEncoder texts, BatchSource data) {
    List<Embeddings> img = new ArrayList<>();
    List<Embeddings> txt = new ArrayList<>();
    for (Iterator<TrainingBatch> it = data.epoch(0); it.hasNext(); ) {
      TrainingBatch b = it.next();
      if (b.texts() == null) {
        return Map.of();
      }
      img.add(images.encode(b.images()));
      txt.add(texts.encode(b.texts()));
    }
    return img.isEmpty() ? Map.of() : Retrieval.of(Embeddings.concat(img), Embeddings.concat(txt)).toMap("");
  }
}
