package org.cleft.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Confusion matrix counts, per-class recall and precision, and the printed table. */
class ConfusionMatrixTest {
  // pairs (truth, predicted): (0,0) (1,1) (2,1) (2,2) (1,0)
  private final ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1, 1, 2, 0}, new int[] {0, 1, 2, 2, 1},
      List.of("atelectasis", "edema", "cardiomegaly"));

  @Test
  void rowsAreTruthColumnsArePredictions() {
    assertThat(m.counts()).isDeepEqualTo(new long[][] {{1, 0, 0}, {1, 1, 0}, {0, 1, 1}});
    assertThat(m.count(2, 1)).isEqualTo(1);
    assertThat(m.total()).isEqualTo(5);
    assertThat(m.size()).isEqualTo(3);
    assertThat(m.accuracy()).isEqualTo(0.6); // diagonal 3 of 5
  }

  @Test
  void recallAndPrecisionPerClass() {
    // recall: row 0 1/1, row 1 1/2, row 2 1/2; precision: column 0 1/2, column 1 1/2, column 2 1/1
    assertThat(new double[] {m.recall(0), m.recall(1), m.recall(2)}).containsExactly(1.0, 0.5, 0.5);
    assertThat(new double[] {m.precision(0), m.precision(1), m.precision(2)}).containsExactly(0.5, 0.5, 1.0);
    assertThat(m.support(1)).isEqualTo(2);
    ConfusionMatrix never = ConfusionMatrix.of(new int[] {0, 0}, new int[] {0, 1}, 3);
    assertThat(never.precision(1)).isNaN(); // never predicted
    assertThat(never.recall(2)).isNaN();    // no samples
    assertThat(never.classNames()).containsExactly("0", "1", "2");
  }

  @Test
  void toStringIsATableWithNames() {
    String s = m.toString();
    assertThat(s).contains("truth \\ pred", "atelectasis", "cardiomegaly", "recall", "precision", "0.5000",
        "accuracy 0.6000 over 5 samples");
    String[] lines = s.split("\n");
    assertThat(lines).hasSize(5);
    assertThat(lines[2].trim()).startsWith("edema").matches("edema\\s+1\\s+1\\s+0\\s+0\\.5000\\s+0\\.5000\\s+2");
  }

  @Test
  void rejectsClassesOutOfRange() {
    assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {3}, new int[] {0}, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("predicted[0] = 3");
    assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
