package org.cleft.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cleft.api.metrics.ConfusionMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charts: file format, size and determinism; curve geometry checked on the computed points. */
class ChartsTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static BufferedImage readPng(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes).startsWith(PNG_SIGNATURE);
    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img).as("decodable PNG").isNotNull();
    return img;
  }

  @Test
  void lossCurveIsAPngOfTheStatedSizeAndDeterministic(@TempDir Path tmp) throws Exception {
    long[] steps = new long[200];
    double[] losses = new double[200];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i * 10L;
      losses[i] = 4 * Math.exp(-i / 50.0) + 0.3 * Math.sin(i * 1.7);
    }
    Path a = tmp.resolve("a/loss.png");
    Path b = tmp.resolve("b.png");
    Charts.lossCurve(steps, losses, a);
    Charts.lossCurve(steps, losses, b);
    BufferedImage img = readPng(a);
    assertThat(img.getWidth()).isEqualTo(Charts.LOSS_WIDTH);
    assertThat(img.getHeight()).isEqualTo(Charts.LOSS_HEIGHT);
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThatThrownBy(() -> Charts.lossCurve(new long[] {1, 2}, new double[] {1, Double.NaN}, tmp.resolve("x.png")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step 2");
  }

  @Test
  void smoothingIsADebiasedMovingAverage() {
    // w = 0.5: s1 = 0.5*2 = 1 -> 1/(1-0.5) = 2; s2 = 0.5*1 + 0.5*4 = 2.5 -> 2.5/(1-0.25) = 10/3
    assertThat(Charts.smooth(new double[] {2, 4}, 0.5)).containsExactly(new double[] {2, 10.0 / 3}, within(1e-12));
    assertThat(Charts.smooth(new double[] {3, 1, 2}, 0)).containsExactly(3, 1, 2);
    double[] constant = Charts.smooth(new double[] {5, 5, 5, 5}, 0.9);
    assertThat(constant).containsExactly(new double[] {5, 5, 5, 5}, within(1e-12));
  }

  @Test
  void perfectScorerCurveTouchesTheTopLeftCorner() {
    RocCurve curve = RocCurve.of(new double[] {0.9, 0.8, 0.3, 0.1}, new int[] {1, 1, 0, 0});
    assertThat(curve.auc()).isEqualTo(1.0);
    assertThat(pointsOf(curve)).contains(List.of(0.0, 1.0));
    assertThat(curve.falsePositiveRate()).startsWith(0.0).endsWith(1.0);
    assertThat(curve.truePositiveRate()).startsWith(0.0).endsWith(1.0);
  }

  @Test
  void curvePointsFollowTheThresholdsAndTheirAreaIsTheAuc() {
    // scores 0.8(1) 0.6(0) 0.6(1) 0.2(0): thresholds 0.8 -> (0, 1/2); 0.6 (tie) -> (1/2, 1); 0.2 -> (1, 1)
    RocCurve curve = RocCurve.of(new double[] {0.8, 0.6, 0.6, 0.2}, new int[] {1, 0, 1, 0});
    assertThat(pointsOf(curve)).containsExactly(List.of(0.0, 0.0), List.of(0.0, 0.5), List.of(0.5, 1.0),
        List.of(1.0, 1.0));
    // area: 0.5 * (0.5 + 1) / 2 + 0.5 * 1 = 0.875; the tie counts one half: (1 + 1 + 0.5 + 1) / 4 = 0.875
    assertThat(curve.trapezoidArea()).isCloseTo(0.875, within(1e-12));
    assertThat(curve.auc()).isCloseTo(0.875, within(1e-12));
  }

  private static List<List<Double>> pointsOf(RocCurve c) {
    double[] x = c.falsePositiveRate();
    double[] y = c.truePositiveRate();
    return java.util.stream.IntStream.range(0, c.size()).mapToObj(i -> List.of(x[i], y[i])).toList();
  }

  @Test
  void rocChartHasOneCurvePerClassWithItsAuc(@TempDir Path tmp) throws Exception {
    List<String> names = List.of("Atelectasis", "Cardiomegaly", "Edema");
    float[][] scores = {{0.8f, 0.1f, 0.1f}, {0.2f, 0.7f, 0.1f}, {0.3f, 0.3f, 0.4f}, {0.5f, 0.4f, 0.1f}};
    float[][] labels = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}};
    Path png = tmp.resolve("roc.png");
    List<RocCurve> curves = Charts.rocCurves(names, scores, labels, png);
    BufferedImage img = readPng(png);
    assertThat(img.getWidth()).isEqualTo(Charts.ROC_SIZE);
    assertThat(img.getHeight()).isEqualTo(Charts.ROC_SIZE);
    assertThat(curves).hasSize(3).doesNotContainNull();
    // Atelectasis: positive 0.8 above negatives 0.2 0.3 0.5 -> AUC 1
    assertThat(curves.get(0).auc()).isEqualTo(1.0);
    // a class with no positives has no curve
    List<RocCurve> partial = Charts.curves(List.of("A", "B"), new float[][] {{1, 0}, {0, 1}},
        new float[][] {{1, 0}, {1, 0}});
    assertThat(partial.get(1)).isNull();
  }

  @Test
  void confusionMatrixIsAPngOfTheStatedSize(@TempDir Path tmp) throws Exception {
    List<String> names = List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion");
    ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1, 2, 3, 4, 4, 0, 1}, new int[] {0, 1, 2, 3, 4, 3, 1, 1},
        names);
    Path a = tmp.resolve("cm.png");
    Path b = tmp.resolve("cm2.png");
    Charts.confusionMatrix(names, m, a);
    Charts.confusionMatrix(names, m, b);
    BufferedImage img = readPng(a);
    assertThat(img.getWidth()).isEqualTo(Charts.CONFUSION_SIZE);
    assertThat(img.getHeight()).isEqualTo(Charts.CONFUSION_SIZE);
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThatThrownBy(() -> Charts.confusionMatrix(List.of("A"), m, a)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 class names for a 5-class matrix");
  }
}
