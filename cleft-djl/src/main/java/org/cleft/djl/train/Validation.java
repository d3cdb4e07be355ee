package org.cleft.djl.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.BatchSource;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageEncoder;
import org.cleft.api.TextEncoder;
import org.cleft.api.TrainingBatch;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.metrics.Metrics;

/**
 * Evaluation during training: zero-shot accuracy and macro AUC of a classifier on labelled images,
 * and image-text retrieval recall@1/5 when the validation batches carry texts.
 */
final class Validation {
  private Validation() {}

  /**
   * Accuracy counts rows with at least one positive (argmax among the positives is correct); AUC is
   * the one-vs-rest mean over classes that have both positives and negatives.
   */
  static Map<String, Double> zeroShot(ZeroShotClassifier classifier, BatchSource data, String prefix) {
    List<float[]> scores = new ArrayList<>();
    List<float[]> labels = new ArrayList<>();
    for (Iterator<TrainingBatch> it = data.epoch(0); it.hasNext(); ) {
      TrainingBatch b = it.next();
      if (b.labels() == null) {
        return Map.of();
      }
      float[][] s = classifier.classify(b.images()).logits();
      for (int i = 0; i < b.size(); i++) {
        scores.add(s[i]);
        labels.add(b.labels()[i]);
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(prefix + "accuracy", accuracy(scores, labels));
    out.put(prefix + "macro_auc", macroAuc(scores, labels));
    return out;
  }

  private static double accuracy(List<float[]> scores, List<float[]> labels) {
    int correct = 0;
    int counted = 0;
    for (int i = 0; i < scores.size(); i++) {
      float[] y = labels.get(i);
      float[] s = scores.get(i);
      int best = 0;
      boolean any = false;
      for (int c = 0; c < y.length; c++) {
        best = s[c] > s[best] ? c : best;
        any |= y[c] > 0.5f;
      }
      if (any) {
        counted++;
        correct += y[best] > 0.5f ? 1 : 0;
      }
    }
    return counted == 0 ? Double.NaN : (double) correct / counted;
  }

  private static double macroAuc(List<float[]> scores, List<float[]> labels) {
    int classes = labels.isEmpty() ? 0 : labels.get(0).length;
    double sum = 0;
    int n = 0;
    for (int c = 0; c < classes; c++) {
      double[] s = new double[scores.size()];
      int[] y = new int[scores.size()];
      int pos = 0;
      for (int i = 0; i < s.length; i++) {
        s[i] = scores.get(i)[c];
        y[i] = labels.get(i)[c] > 0.5f ? 1 : 0;
        pos += y[i];
      }
      if (pos > 0 && pos < s.length) {
        sum += Metrics.rocAuc(s, y);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Image-to-text and text-to-image recall@1 and @5 over the whole validation set (pairs in order). */
  static Map<String, Double> retrieval(ImageEncoder images, TextEncoder texts, BatchSource data) {
    List<float[]> img = new ArrayList<>();
    List<float[]> txt = new ArrayList<>();
    for (Iterator<TrainingBatch> it = data.epoch(0); it.hasNext(); ) {
      TrainingBatch b = it.next();
      if (b.texts() == null) {
        return Map.of();
      }
      Embeddings ie = images.encode(b.images());
      Embeddings te = texts.encode(b.texts());
      for (int i = 0; i < b.size(); i++) {
        img.add(ie.row(i));
        txt.add(te.row(i));
      }
    }
    float[][] sim = new float[img.size()][txt.size()];
    float[][] simT = new float[txt.size()][img.size()];
    for (int i = 0; i < img.size(); i++) {
      for (int j = 0; j < txt.size(); j++) {
        float dot = 0;
        for (int k = 0; k < img.get(i).length; k++) {
          dot += img.get(i)[k] * txt.get(j)[k];
        }
        sim[i][j] = dot;
        simT[j][i] = dot;
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    int k5 = Math.min(5, txt.size());
    out.put("image_to_text_recall@1", Metrics.recallAtK(sim, 1));
    out.put("image_to_text_recall@5", Metrics.recallAtK(sim, k5));
    out.put("text_to_image_recall@1", Metrics.recallAtK(simT, 1));
    out.put("text_to_image_recall@5", Metrics.recallAtK(simT, k5));
    return out;
  }
}
