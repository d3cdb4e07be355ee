package org.cleft.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of zero-shot classification of a batch of images.
 *
 * @param classNames the classes, in column order
 * @param logits {@code exp(logit_scale) * image_embeds @ class_embeds^T}, one row per image
 * @param probabilities softmax of each row of {@code logits}
 */
public record Classification(List<String> classNames, float[][] logits, float[][] probabilities) {

  /**
   * Copies the class names.
   *
   * @param classNames the classes, in column order
   * @param logits {@code exp(logit_scale) * image_embeds @ class_embeds^T}, one row per image
   * @param probabilities softmax of each row of {@code logits}
   */
  public Classification {
    classNames = List.copyOf(classNames);
  }

  /**
   * Builds a classification from logits, computing the softmax of each row in double precision.
   *
   * @param classNames the class names, in column order
   * @param logits one row of class logits per image
   * @return the classification with its softmax probabilities
   */
  public static Classification fromLogits(List<String> classNames, float[][] logits) {
    float[][] probs = new float[logits.length][];
    for (int i = 0; i < logits.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (float v : logits[i]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      double[] e = new double[logits[i].length];
      for (int j = 0; j < e.length; j++) {
        e[j] = Math.exp(logits[i][j] - max);
        sum += e[j];
      }
      probs[i] = new float[e.length];
      for (int j = 0; j < e.length; j++) {
        probs[i][j] = (float) (e[j] / sum);
      }
    }
    return new Classification(classNames, logits, probs);
  }

  /** {@return the index of the most probable class for each image} */
  public int[] predicted() {
    int[] out = new int[logits.length];
    for (int i = 0; i < logits.length; i++) {
      int best = 0;
      for (int j = 1; j < logits[i].length; j++) {
        if (logits[i][j] > logits[i][best]) {
          best = j;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** {@return the name of the most probable class for each image} */
  public List<String> predictedNames() {
    return Arrays.stream(predicted()).mapToObj(classNames::get).toList();
  }

  /**
   * {@return the probability of each class for one image, in column order}
   *
   * @param image the image's row
   * @throws IndexOutOfBoundsException when there is no such row
   */
  public Map<String, Float> probabilitiesOf(int image) {
    Map<String, Float> out = new LinkedHashMap<>();
    for (int c = 0; c < classNames.size(); c++) {
      out.put(classNames.get(c), probabilities[image][c]);
    }
    return Collections.unmodifiableMap(out);
  }
}
