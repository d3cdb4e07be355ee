package org.cleft.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.cleft.api.BatchSource;
import org.cleft.api.Classification;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.TrainingBatch;
import org.cleft.api.ZeroShotClassifier;
import org.junit.jupiter.api.Test;

/** Zero-shot evaluation on small cases worked out by hand in the comments. */
class ZeroShotEvaluationTest {
  private static final List<String> ABC = List.of("A", "B", "C");

  @Test
  void accuracyCountsAnyPositiveAndSkipsUnlabelledRows() {
    float[][] scores = {
        {0.7f, 0.2f, 0.1f}, // predicts A, truth A: correct
        {0.1f, 0.8f, 0.1f}, // predicts B, truth C: wrong
        {0.2f, 0.3f, 0.5f}, // predicts C, truth {B, C}: correct (C is a positive)
        {0.6f, 0.3f, 0.1f}, // predicts A, truth {B, C}: wrong, confusion row = B (first positive)
        {0.1f, 0.1f, 0.8f}, // no positive: out of accuracy and the confusion matrix
    };
    float[][] labels = {{1, 0, 0}, {0, 0, 1}, {0, 1, 1}, {0, 1, 1}, {0, 0, 0}};
    ZeroShotResult r = ZeroShotEvaluation.of(ABC, scores, labels);
    assertThat(r.rows()).isEqualTo(5);
    assertThat(r.accuracyRows()).isEqualTo(4);
    assertThat(r.unlabelledRows()).isEqualTo(1);
    assertThat(r.accuracy()).isEqualTo(0.5);
    // rows (truth, predicted): (A,A) (C,B) (C,C) (B,A)
    assertThat(r.confusionMatrix().counts()).isEqualTo(new long[][] {{1, 0, 0}, {1, 0, 0}, {0, 1, 1}});
  }

  @Test
  void aucIsPerClassOverEveryRowIncludingUnlabelledOnes() {
    float[][] scores = {
        {0.7f, 0.2f, 0.1f},
        {0.1f, 0.8f, 0.1f},
        {0.2f, 0.3f, 0.5f},
        {0.6f, 0.3f, 0.1f},
        {0.1f, 0.1f, 0.8f},
    };
    float[][] labels = {{1, 0, 0}, {0, 0, 1}, {0, 1, 1}, {0, 1, 1}, {0, 0, 0}};
    ZeroShotResult r = ZeroShotEvaluation.of(ABC, scores, labels);
    // A: positive 0.7 vs negatives 0.1 0.2 0.6 0.1 -> 4/4 = 1
    // B: positives 0.3 0.3 vs negatives 0.2 0.8 0.1 -> each beats 0.2 and 0.1, loses to 0.8 -> 4/6
    // C: positives 0.1 0.5 0.1 vs negatives 0.1 0.8 (row 5 counts as a negative)
    //    0.1: tie 0.1 (1/2), loses 0.8 -> 0.5; 0.5: beats 0.1 -> 1; 0.1: 0.5 -> total 2/6
    assertThat(r.perClassAuc()).containsExactly(new double[] {1.0, 4.0 / 6, 2.0 / 6}, within(1e-12));
    assertThat(r.macroAuc()).isCloseTo((1.0 + 4.0 / 6 + 2.0 / 6) / 3, within(1e-12));
  }

  @Test
  void aClassWithoutNegativesOrPositivesHasNoAuc() {
    float[][] scores = {{0.9f, 0.1f}, {0.4f, 0.6f}};
    float[][] labels = {{1, 0}, {1, 0}}; // A always positive, B never
    ZeroShotResult r = ZeroShotEvaluation.of(List.of("A", "B"), scores, labels);
    assertThat(r.accuracy()).isEqualTo(0.5);
    assertThat(r.perClassAuc()).containsOnly(Double.NaN);
    assertThat(r.macroAuc()).isNaN();
  }

  @Test
  void toMapUsesThePrefixAndSluggedClassNames() {
    ZeroShotResult r = ZeroShotEvaluation.of(List.of("Pleural Effusion", "No Finding"),
        new float[][] {{0.9f, 0.1f}, {0.3f, 0.7f}}, new float[][] {{1, 0}, {0, 1}});
    Map<String, Double> m = r.toMap("zero_shot_");
    assertThat(m).containsKeys("zero_shot_accuracy", "zero_shot_macro_auc", "zero_shot_auc_pleural_effusion",
        "zero_shot_auc_no_finding", "zero_shot_rows", "zero_shot_accuracy_rows");
    assertThat(m.get("zero_shot_accuracy")).isEqualTo(1.0);
    assertThat(m.keySet().iterator().next()).isEqualTo("zero_shot_accuracy");
  }

  @Test
  void resultIsACopy() {
    float[][] scores = {{0.9f, 0.1f}, {0.3f, 0.7f}};
    ZeroShotResult r = ZeroShotEvaluation.of(List.of("A", "B"), scores, new float[][] {{1, 0}, {0, 1}});
    scores[0][0] = 0;
    r.scores()[1][1] = 0;
    assertThat(r.scores()).isEqualTo(new float[][] {{0.9f, 0.1f}, {0.3f, 0.7f}});
  }

  @Test
  void badLabelsAreRefusedWithTheirPosition() {
    assertThatThrownBy(() -> ZeroShotEvaluation.of(ABC, new float[][] {{1, 0, 0}}, new float[][] {{0.5f, 0, 0}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0][0]");
    assertThatThrownBy(() -> ZeroShotEvaluation.of(ABC, new float[][] {{1, 0, 0}}, new float[][] {{1, 0}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels row 0");
    assertThatThrownBy(() -> ZeroShotEvaluation.of(ABC, new float[][] {{1, 0, 0}}, new float[][] {{0, 0, 0}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
  }

  @Test
  void evaluateRunsAClassifierOverEveryBatch() {
    // images are 1x1x1x2 "pixels" (x, y); the classifier's embedding of an image is its pixel pair,
    // class A = (1, 0), class B = (0, 1); logits are the dot products, probabilities their softmax
    ZeroShotClassifier classifier = new PixelClassifier();
    float[][] pixels = {{1, 0}, {0, 1}, {0.2f, 0.9f}, {0.8f, 0.7f}, {0.1f, 0.4f}};
    float[][] labels = {{1, 0}, {0, 1}, {1, 0}, {1, 0}, {0, 1}};
    BatchSource source = batches(pixels, labels, 2);
    ZeroShotResult r = ZeroShotEvaluation.evaluate(classifier, source);
    assertThat(r.rows()).isEqualTo(5);
    // predictions A, B, B, A, B vs truth A, B, A, A, B: 4 of 5
    assertThat(r.accuracy()).isCloseTo(0.8, within(1e-12));
    // softmax of (x, y): P(A) = 1 / (1 + e^(y - x)), ordered by x - y: 1, -1, -0.7, 0.1, -0.3
    // A positives: 1, -0.7, 0.1; negatives: -1, -0.3 -> wins 1>both, 0.1>both, -0.7>-1 only -> 5/6
    assertThat(r.perClassAuc()[0]).isCloseTo(5.0 / 6, within(1e-9));
    assertThat(r.scores()[0][0]).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
  }

  private static BatchSource batches(float[][] pixels, float[][] labels, int batchSize) {
    return new BatchSource() {
      @Override
      public Iterator<TrainingBatch> epoch(int epoch) {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < pixels.length;
          }

          @Override
          public TrainingBatch next() {
            int n = Math.min(batchSize, pixels.length - next);
            float[] data = new float[n * 2];
            float[][] l = new float[n][];
            for (int i = 0; i < n; i++) {
              System.arraycopy(pixels[next + i], 0, data, i * 2, 2);
              l[i] = labels[next + i];
            }
            next += n;
            return new TrainingBatch(new ImageBatch(data, n, 1, 1, 2), null, l);
          }
        };
      }

      @Override
      public int batchesPerEpoch() {
        return (pixels.length + batchSize - 1) / batchSize;
      }
    };
  }

  /** A real (if trivial) classifier: the image's two pixels are its embedding. */
  private static final class PixelClassifier implements ZeroShotClassifier {
    private final Embeddings classes = new Embeddings(new float[] {1, 0, 0, 1}, 2, 2);

    @Override
    public List<String> classNames() {
      return List.of("A", "B");
    }

    @Override
    public Embeddings classEmbeddings() {
      return classes;
    }

    @Override
    public Classification classify(ImageBatch images) {
      Embeddings e = new Embeddings(images.pixels(), images.batch(), 2);
      return Classification.fromLogits(classNames(), e.similarity(classes, 1.0));
    }

    @Override
    public void close() {}
  }
}
