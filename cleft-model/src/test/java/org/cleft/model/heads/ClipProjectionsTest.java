package org.cleft.model.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.cleft.model.PartialOps;
import org.cleft.model.ValuesChange;
import org.cleft.model.Weights;
import org.junit.jupiter.api.Test;

/**
 * The heads as written once, run on a plain-Java reference engine (row-major {@code double[][]}), against values
 * worked out by hand; the engines' parity with HuggingFace is checked by their own tests and the contract suite.
 */
class ClipProjectionsTest {
  /** A reference engine: matrices as {@code double[rows][cols]}, weights [out][in]. */
  static final class MatrixOps extends PartialOps<double[][]> {
    @Override
    public Ops<double[][]> scope(String name) {
      return this;
    }

    @Override
    public double[][] linear(double[][] x, Linear<double[][]> layer) {
      double[][] w = layer.weight();
      double[][] y = new double[x.length][w.length];
      for (int i = 0; i < x.length; i++) {
        for (int o = 0; o < w.length; o++) {
          double s = layer.bias() == null ? 0 : layer.bias()[0][o];
          for (int k = 0; k < w[o].length; k++) {
            s += x[i][k] * w[o][k];
          }
          y[i][o] = s;
        }
      }
      return y;
    }

    @Override
    public double[][] mean(double[][] x, int axis) {
      throw new UnsupportedOperationException("2-D reference engine");
    }

    @Override
    public double[][] tokenAt(double[][] x, double[][] index) {
      throw new UnsupportedOperationException("2-D reference engine");
    }

    @Override
    public double[][] lastPosition(double[][] mask) {
      throw new UnsupportedOperationException("2-D reference engine");
    }

    @Override
    public double[][] l2Normalize(double[][] x) {
      double[][] y = new double[x.length][];
      for (int i = 0; i < x.length; i++) {
        double n = Math.max(1e-12, Math.sqrt(Arrays.stream(x[i]).map(v -> v * v).sum()));
        y[i] = Arrays.stream(x[i]).map(v -> v / n).toArray();
      }
      return y;
    }
  }

  /** Tensors by name, with the shape checks every engine's weights make. */
  record MapWeights(Map<String, double[][]> tensors) implements Weights<double[][]> {
    @Override
    public String origin() {
      return "heads.safetensors";
    }

    @Override
    public boolean contains(String name) {
      return tensors.containsKey(name);
    }

    @Override
    public long[] shape(String name) throws CheckpointException {
      double[][] t = tensors.get(name);
      if (t == null) {
        throw new CheckpointException(origin() + ": tensor '" + name + "' is missing");
      }
      return name.endsWith(".bias") || name.equals(ClipProjections.LOGIT_SCALE) ? new long[] {t[0].length}
          : new long[] {t.length, t[0].length};
    }

    @Override
    public double[][] tensor(String name, long[] shape, ValuesChange change) throws CheckpointException {
      if (!Arrays.equals(shape(name), shape)) {
        throw new CheckpointException(origin() + ": tensor '" + name + "' has shape " + Arrays.toString(shape(name))
            + ", expected " + Arrays.toString(shape));
      }
      return tensors.get(name);
    }

    @Override
    public Linear<double[][]> linear(Layer layer) throws CheckpointException {
      String prefix = layer.prefix();
      long[] s = shape(prefix + ".weight");
      if (s[0] != layer.out() || s[1] != layer.in()) {
        throw new CheckpointException(origin() + ": tensor '" + prefix + ".weight' has shape " + Arrays.toString(s)
            + ", expected [" + layer.out() + ", " + layer.in() + "]");
      }
      return new Linear<>(tensors.get(prefix + ".weight"), tensors.get(prefix + ".bias"), false);
    }
  }

  private static final MapWeights HEADS = new MapWeights(Map.of(
      "image_projection.weight", new double[][] {{1, 0, 0}, {0, 2, 0}},
      "image_projection.bias", new double[][] {{0, 1}},
      "text_projection.weight", new double[][] {{3, 0}, {0, 4}},
      "logit_scale", new double[][] {{2.6592}}));

  @Test
  void projectionIsTheLinearLayerThenL2Normalisation() throws Exception {
    assertThat(ClipProjections.dim(HEADS)).isEqualTo(2);
    Linear<double[][]> image = ClipProjections.head(HEADS, ClipProjections.IMAGE, 3);
    // [3, 1.5, 9] -> [3, 3 + 1] = [3, 4] -> [0.6, 0.8]
    double[][] y = ClipProjections.project(new MatrixOps(), image, new double[][] {{3, 1.5, 9}});
    assertThat(y[0][0]).isCloseTo(0.6, within(1e-12));
    assertThat(y[0][1]).isCloseTo(0.8, within(1e-12));
    Linear<double[][]> text = ClipProjections.head(HEADS, ClipProjections.TEXT, 2);
    assertThat(text.bias()).isNull();
    double[][] t = ClipProjections.project(new MatrixOps(), text, new double[][] {{0, 0}});
    assertThat(t[0]).containsExactly(0, 0); // a zero row stays zero (norm clamped at 1e-12)
    ClipProjections.checkLogitScale(HEADS);
  }

  @Test
  void aHeadThatDoesNotFitItsTowerIsNamed() {
    assertThatThrownBy(() -> ClipProjections.head(HEADS, ClipProjections.TEXT, 3))
        .isInstanceOf(CheckpointException.class)
        .hasMessage("heads.safetensors: tensor 'text_projection.weight' has shape [2, 2], expected [2, 3]");
    MapWeights noScale = new MapWeights(Map.of("image_projection.weight", new double[][] {{1}}));
    assertThatThrownBy(() -> ClipProjections.checkLogitScale(noScale)).hasMessageContaining("'logit_scale' is missing");
  }
}
