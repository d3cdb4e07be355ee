package org.cleft.model.pooling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.cleft.model.PartialOps;
import org.junit.jupiter.api.Test;

/** The poolings as written once, on a plain-Java reference engine over {@code double[][][]}, against hand values. */
class PoolingsTest {
  /** A reference engine: tensors as {@code double[batch][seq][width]} (a [batch] vector as [batch][1][1]). */
  static final class ArrayOps extends PartialOps<double[][][]> {
    final List<String> scopes = new ArrayList<>();

    @Override
    public Ops<double[][][]> scope(String name) {
      scopes.add(name);
      return this;
    }

    @Override
    public double[][][] linear(double[][][] x, Linear<double[][][]> layer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public double[][][] l2Normalize(double[][][] x) {
      throw new UnsupportedOperationException();
    }

    @Override
    public double[][][] mean(double[][][] x, int axis) {
      double[][][] out = new double[x.length][1][x[0][0].length];
      for (int b = 0; b < x.length; b++) {
        for (double[] token : x[b]) {
          for (int h = 0; h < token.length; h++) {
            out[b][0][h] += token[h] / x[b].length;
          }
        }
      }
      return out;
    }

    @Override
    public double[][][] tokenAt(double[][][] x, double[][][] index) {
      double[][][] out = new double[x.length][1][];
      for (int b = 0; b < x.length; b++) {
        out[b][0] = x[b][(int) index[b][0][0]].clone();
      }
      return out;
    }

    @Override
    public double[][][] lastPosition(double[][][] mask) {
      double[][][] out = new double[mask.length][1][1];
      for (int b = 0; b < mask.length; b++) {
        double n = 0;
        for (double[] m : mask[b]) {
          n += m[0];
        }
        out[b][0][0] = n - 1;
      }
      return out;
    }
  }

  private static final double[][][] STATES = {
      {{1, 10}, {2, 20}, {3, 30}},
      {{4, 40}, {5, 50}, {6, 60}}};

  @Test
  void meanOfTokensAveragesEveryToken() {
    double[][][] pooled = Poolings.meanOfTokens(new ArrayOps(), STATES);
    assertThat(pooled[0][0]).containsExactly(2, 20);
    assertThat(pooled[1][0]).containsExactly(5, 50);
  }

  @Test
  void lastTokenTakesEachRowsLastRealPosition() {
    double[][][] mask = {{{1}, {1}, {0}}, {{1}, {1}, {1}}}; // right padded: row 0 has two real tokens
    ArrayOps ops = new ArrayOps();
    double[][][] last = Poolings.lastToken(ops, STATES, mask);
    assertThat(last[0][0]).containsExactly(2, 20);
    assertThat(last[1][0]).containsExactly(6, 60);
    assertThat(ops.scopes).containsExactly("last");
  }
}
