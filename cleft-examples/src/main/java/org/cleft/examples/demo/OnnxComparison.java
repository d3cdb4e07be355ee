package org.cleft.examples.demo;

import java.util.Iterator;
import java.util.List;
import org.cleft.api.BatchSource;
import org.cleft.api.CleftModel;
import org.cleft.api.Embeddings;
import org.cleft.api.TrainingBatch;
import org.cleft.api.ZeroShotClassifier;

/**
 * The same checkpoint on two engines: the largest absolute difference between their image embeddings
 * (held-out images) and text embeddings (the class captions), and the ONNX classifier's accuracy.
 *
 * @param maxAbsDiff the largest |onnx - djl| over every embedding value compared
 * @param onnxAccuracy accuracy of the ONNX Runtime classifier on the images
 * @param images images classified
 */
record OnnxComparison(double maxAbsDiff, double onnxAccuracy, int images) {

  static OnnxComparison run(CleftModel onnx, CleftModel djl, ZeroShotClassifier onnxClassifier, BatchSource data) {
    double max = 0;
    int correct = 0;
    int images = 0;
    for (Iterator<TrainingBatch> it = data.epoch(0); it.hasNext(); ) {
      TrainingBatch b = it.next();
      max = Math.max(max, maxAbsDiff(onnx.imageEncoder().encode(b.images()), djl.imageEncoder().encode(b.images())));
      int[] predicted = onnxClassifier.classify(b.images()).predicted();
      for (int i = 0; i < b.size(); i++) {
        correct += b.labels()[i][predicted[i]] > 0.5f ? 1 : 0;
      }
      images += b.size();
    }
    // the class captions as the checkpoint builds them (its recorded caption style)
    List<String> captions = djl.captionStyle().classCaptions(DemoData.CLASSES).captions();
    max = Math.max(max, maxAbsDiff(onnx.textEncoder().encodeTexts(captions), djl.textEncoder().encodeTexts(captions)));
    return new OnnxComparison(max, images == 0 ? Double.NaN : (double) correct / images, images);
  }

  private static double maxAbsDiff(Embeddings a, Embeddings b) {
    if (a.data().length != b.data().length) {
      throw new IllegalStateException("ONNX and DJL embeddings differ in size: " + a.rows() + "x" + a.dim() + " vs "
          + b.rows() + "x" + b.dim());
    }
    double max = 0;
    for (int i = 0; i < a.data().length; i++) {
      max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
    }
    return max;
  }
}
