package org.cleft.api.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.Embeddings;
import org.cleft.api.metrics.Metrics;

/**
 * Image-text retrieval over paired embeddings: row {@code i} of the images belongs with row {@code i}
 * of the texts. Similarity is the dot product (the cosine for the L2-normalised embeddings the encoders
 * return); recall@k counts ties pessimistically, as {@link Metrics#recallAtK} does.
 *
 * @param imageToText recall@1 and recall@5 of finding each image's text among all texts
 * @param textToImage recall@1 and recall@5 of finding each text's image among all images
 */
public record Retrieval(double[] imageToText, double[] textToImage) {

  /** The k of the reported recalls. */
  public static final int[] KS = {1, 5};

  /**
   * Copies the arrays.
   *
   * @param imageToText recall@1 and recall@5, image to text
   * @param textToImage recall@1 and recall@5, text to image
   */
  public Retrieval {
    imageToText = imageToText.clone();
    textToImage = textToImage.clone();
  }

  /**
   * Recall@1 and @5 in both directions.
   *
   * @param images one embedding per image
   * @param texts one embedding per text, paired row by row with {@code images}
   * @return the recalls
   * @throws IllegalArgumentException when the row counts or widths differ, or there are no rows
   */
  public static Retrieval of(Embeddings images, Embeddings texts) {
    float[][] sim = similarity(images, texts);
    float[][] simT = transpose(sim);
    double[] i2t = new double[KS.length];
    double[] t2i = new double[KS.length];
    for (int j = 0; j < KS.length; j++) {
      i2t[j] = Metrics.recallAtK(sim, KS[j]);
      t2i[j] = Metrics.recallAtK(simT, KS[j]);
    }
    return new Retrieval(i2t, t2i);
  }

  /**
   * Image-to-text recall@k.
   *
   * @param images one embedding per image
   * @param texts the paired texts
   * @param k how many top texts count
   * @return the fraction of images whose own text is among their {@code k} most similar texts
   */
  public static double imageToText(Embeddings images, Embeddings texts, int k) {
    return Metrics.recallAtK(similarity(images, texts), k);
  }

  /**
   * Text-to-image recall@k.
   *
   * @param images one embedding per image
   * @param texts the paired texts
   * @param k how many top images count
   * @return the fraction of texts whose own image is among their {@code k} most similar images
   */
  public static double textToImage(Embeddings images, Embeddings texts, int k) {
    return Metrics.recallAtK(similarity(texts, images), k);
  }

  private static float[][] similarity(Embeddings a, Embeddings b) {
    if (a.rows() != b.rows()) {
      throw new IllegalArgumentException("retrieval needs paired embeddings: " + a.rows() + " rows vs " + b.rows());
    }
    if (a.rows() == 0) {
      throw new IllegalArgumentException("retrieval needs at least one pair of embeddings");
    }
    return a.similarity(b, 1.0);
  }

  private static float[][] transpose(float[][] m) {
    float[][] out = new float[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        out[j][i] = m[i][j];
      }
    }
    return out;
  }

  /**
   * Image-to-text recall@1 and recall@5.
   *
   * @return a copy of the recalls, in the order of {@link #KS}
   */
  @Override
  public double[] imageToText() {
    return imageToText.clone();
  }

  /**
   * Text-to-image recall@1 and recall@5.
   *
   * @return a copy of the recalls, in the order of {@link #KS}
   */
  @Override
  public double[] textToImage() {
    return textToImage.clone();
  }

  /**
   * The recalls as {@code PREFIXimage_to_text_r1}, {@code _r5}, {@code PREFIXtext_to_image_r1}, {@code _r5}.
   *
   * @param prefix prepended to every key (may be empty)
   * @return an insertion-ordered map
   */
  public Map<String, Double> toMap(String prefix) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int j = 0; j < KS.length; j++) {
      out.put(prefix + "image_to_text_r" + KS[j], imageToText[j]);
    }
    for (int j = 0; j < KS.length; j++) {
      out.put(prefix + "text_to_image_r" + KS[j], textToImage[j]);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Retrieval r && java.util.Arrays.equals(r.imageToText, imageToText)
        && java.util.Arrays.equals(r.textToImage, textToImage);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(imageToText) * 31 + java.util.Arrays.hashCode(textToImage);
  }

  @Override
  public String toString() {
    return "Retrieval[imageToText=" + java.util.Arrays.toString(imageToText) + ", textToImage="
        + java.util.Arrays.toString(textToImage) + "]";
  }
}
