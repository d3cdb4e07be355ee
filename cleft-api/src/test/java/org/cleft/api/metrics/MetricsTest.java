package org.cleft.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Metrics on small cases whose values are worked out by hand in the comments. */
class MetricsTest {
  private static final double EPS = 1e-12;

  @Test
  void accuracyCountsMatches() {
    // 3 of 4 match
    assertThat(Metrics.accuracy(new int[] {0, 1, 2, 2}, new int[] {0, 1, 1, 2})).isEqualTo(0.75);
    assertThatThrownBy(() -> Metrics.accuracy(new int[] {0}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Metrics.accuracy(new int[0], new int[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void argmaxTakesTheFirstMaximum() {
    assertThat(Metrics.argmax(new float[][] {{1, 3, 3}, {5, 2, 5}, {-1, -2, -0.5f}})).containsExactly(1, 0, 2);
    assertThatThrownBy(() -> Metrics.argmax(new float[][] {{1, Float.NaN}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0][1]");
  }

  @Test
  void rocAucWithoutTies() {
    // positives 0.35, 0.8; negatives 0.1, 0.4. Pairs won: 0.35>0.1, 0.8>0.1, 0.8>0.4; lost: 0.35<0.4 -> 3/4
    assertThat(Metrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1})).isEqualTo(0.75);
    assertThat(Metrics.rocAuc(new double[] {1, 2, 3}, new int[] {0, 1, 1})).isEqualTo(1.0);
    assertThat(Metrics.rocAuc(new double[] {3, 2, 1}, new int[] {0, 1, 1})).isEqualTo(0.0);
  }

  @Test
  void rocAucCountsATieAsOneHalf() {
    // positives 0.5, 0.9; negatives 0.5, 0.5. 0.9 beats both (2); 0.5 ties both (2 x 0.5 = 1) -> 3/4.
    // As sklearn's curve: thresholds 0.9 -> (FPR 0, TPR .5), 0.5 -> (1, 1); trapezoid .5*1 + .5*.5*1 = .75
    assertThat(Metrics.rocAuc(new double[] {0.5, 0.5, 0.5, 0.9}, new int[] {0, 1, 0, 1})).isEqualTo(0.75);
    // positives 2, 3; negatives 1, 2: 2>1 (1), 2=2 (.5), 3 beats both (2) -> 3.5/4
    assertThat(Metrics.rocAuc(new double[] {1, 2, 2, 3}, new int[] {0, 0, 1, 1})).isEqualTo(0.875);
    // every score equal: one threshold, the diagonal -> 0.5
    assertThat(Metrics.rocAuc(new double[] {7, 7, 7, 7, 7}, new int[] {0, 1, 1, 0, 1})).isEqualTo(0.5);
  }

  @Test
  void rocAucMatchesPairwiseCountingOnRandomTiedScores() {
    Random random = new Random(42);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + random.nextInt(40);
      double[] scores = new double[n];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(5); // few distinct values: many ties
        labels[i] = random.nextInt(2);
      }
      labels[0] = 0;
      labels[1] = 1;
      double wins = 0;
      int pairs = 0;
      for (int p = 0; p < n; p++) {
        for (int q = 0; q < n; q++) {
          if (labels[p] == 1 && labels[q] == 0) {
            pairs++;
            wins += scores[p] > scores[q] ? 1 : scores[p] == scores[q] ? 0.5 : 0;
          }
        }
      }
      assertThat(Metrics.rocAuc(scores, labels)).isCloseTo(wins / pairs, within(EPS));
    }
  }

  @Test
  void rocAucRejectsASingleClassAndBadLabels() {
    assertThatThrownBy(() -> Metrics.rocAuc(new double[] {0.1, 0.2}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only one class");
    assertThatThrownBy(() -> Metrics.rocAuc(new double[] {0.1, 0.2}, new int[] {0, 2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 0 or 1");
    assertThatThrownBy(() -> Metrics.rocAuc(new double[] {0.1}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Metrics.rocAuc(new double[] {Double.NaN, 1}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
  }

  @Test
  void macroAucOneVsRest() {
    float[][] probs = {
        {0.7f, 0.2f, 0.1f}, // truth 0
        {0.3f, 0.4f, 0.3f}, // truth 1
        {0.2f, 0.5f, 0.3f}, // truth 2
        {0.6f, 0.1f, 0.3f}, // truth 2
    };
    int[] truth = {0, 1, 2, 2};
    // class 0: column .7 .3 .2 .6, positive .7 beats all three negatives -> 1
    // class 1: column .2 .4 .5 .1, positive .4 beats .2 and .1, loses to .5 -> 2/3
    // class 2: column .1 .3 .3 .3, positives .3 .3 vs negatives .1 (win) and .3 (tie) -> (1.5 + 1.5) / 4 = .75
    // macro: (1 + 2/3 + 3/4) / 3 = 29/36
    assertThat(Metrics.macroAuc(probs, truth)).isCloseTo(29.0 / 36, within(EPS));
  }

  @Test
  void macroAucRejectsAnAbsentClass() {
    float[][] probs = {{0.5f, 0.3f, 0.2f}, {0.1f, 0.8f, 0.1f}};
    assertThatThrownBy(() -> Metrics.macroAuc(probs, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 2");
    assertThatThrownBy(() -> Metrics.macroAuc(probs, new int[] {0, 3}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truth[1]");
  }

  @Test
  void multiLabelAucSkipsSingleClassColumns() {
    float[][] scores = {{0.9f, 0.1f, 0.5f}, {0.2f, 0.8f, 0.5f}, {0.6f, 0.2f, 0.5f}, {0.1f, 0.3f, 0.5f}};
    int[][] labels = {{1, 0, 0}, {0, 1, 0}, {1, 1, 0}, {0, 0, 0}};
    // column 0: positives .9 .6 beat negatives .2 .1 -> 1
    // column 1: positives .8 (beats .1 and .3: 2) and .2 (beats .1, loses to .3: 1) -> 3/4
    // column 2: no positive -> skipped; macro (1 + .75) / 2 = .875
    MultiLabelAuc auc = Metrics.multiLabelAuc(scores, labels);
    assertThat(auc.macro()).isCloseTo(0.875, within(EPS));
    assertThat(auc.perClass()[0]).isEqualTo(1.0);
    assertThat(auc.perClass()[1]).isEqualTo(0.75);
    assertThat(auc.perClass()[2]).isNaN();
    assertThat(auc.skipped()).containsExactly(2);
    assertThat(auc.evaluatedClasses()).isEqualTo(2);
    assertThat(Metrics.macroAuc(scores, labels)).isCloseTo(0.875, within(EPS));
  }

  @Test
  void multiLabelAucNeedsOneUsableColumn() {
    assertThatThrownBy(() -> Metrics.macroAuc(new float[][] {{0.1f}, {0.2f}}, new int[][] {{1}, {1}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every one");
    assertThatThrownBy(() -> Metrics.macroAuc(new float[][] {{0.1f}, {0.2f}}, new int[][] {{1}, {1, 0}}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recallAtKCountsTiesAgainstTheCorrectColumn() {
    float[][] sim = {
        {0.9f, 0.1f, 0.2f}, // correct .9 is first: rank 0
        {0.5f, 0.4f, 0.6f}, // correct .4 has .5 and .6 ahead: rank 2
        {0.3f, 0.7f, 0.7f}, // correct .7 (column 2) ties column 1, which counts ahead: rank 1
    };
    assertThat(Metrics.recallAtK(sim, 1)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(Metrics.recallAtK(sim, 2)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(Metrics.recallAtK(sim, 3)).isEqualTo(1.0);
    // a constant matrix: every other column ties, so at k=1 nothing is found
    assertThat(Metrics.recallAtK(new float[][] {{0.5f, 0.5f}, {0.5f, 0.5f}}, 1)).isEqualTo(0.0);
    assertThat(Metrics.recallAtK(new float[][] {{0.5f, 0.5f}, {0.5f, 0.5f}}, 2)).isEqualTo(1.0);
  }

  @Test
  void recallAtKRejectsBadInput() {
    assertThatThrownBy(() -> Metrics.recallAtK(new float[][] {{1}}, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Metrics.recallAtK(new float[][] {{1}, {2}}, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
    assertThatThrownBy(() -> Metrics.recallAtK(new float[0][], 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
