package org.cleft.api.vision;

/**
 * The 1-D weight matrices PyTorch's {@code interpolate(mode="bicubic", align_corners=False)} applies
 * along one axis, with or without {@code antialias}. Interpolation of position embeddings is then a
 * pair of matrix products, which keeps it differentiable and exact to float rounding.
 */
public final class BicubicWeights {
  private BicubicWeights() {}

  /**
   * Plain bicubic (PyTorch {@code upsample_bicubic2d}): cubic convolution with A = -0.75, source
   * coordinate {@code (dst + 0.5) * in / out - 0.5}, taps clamped to the border.
   *
   * @param in the input length
   * @param out the output length
   * @return [out][in] weights
   */
  public static double[][] plain(int in, int out) {
    double scale = (double) in / out;
    double[][] w = new double[out][in];
    for (int i = 0; i < out; i++) {
      double src = scale * (i + 0.5) - 0.5;
      int base = (int) Math.floor(src);
      double t = src - base;
      double[] c = {cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)};
      for (int k = 0; k < 4; k++) {
        int idx = Math.min(Math.max(base - 1 + k, 0), in - 1);
        w[i][idx] += c[k];
      }
    }
    return w;
  }

  /**
   * Antialiased bicubic (PyTorch {@code _upsample_bicubic2d_aa}, as PIL): the cubic filter with
   * a = -0.5, its support widened by the downscale factor, weights normalised over the window.
   *
   * @param in the input length
   * @param out the output length
   * @return [out][in] weights
   */
  public static double[][] antialiased(int in, int out) {
    double scale = (double) in / out;
    double support = 2.0 * Math.max(scale, 1.0);
    double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
    double[][] w = new double[out][in];
    for (int i = 0; i < out; i++) {
      double center = scale * (i + 0.5);
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), in);
      double total = 0;
      for (int j = xmin; j < xmax; j++) {
        double v = aaFilter((j - center + 0.5) * invScale);
        w[i][j] = v;
        total += v;
      }
      if (total != 0) {
        for (int j = xmin; j < xmax; j++) {
          w[i][j] /= total;
        }
      }
    }
    return w;
  }

  private static final double A = -0.75;

  private static double cubic1(double x) {
    return ((A + 2) * x - (A + 3)) * x * x + 1;
  }

  private static double cubic2(double x) {
    return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  }

  private static double aaFilter(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0;
  }

  /**
   * {@return the matrix that maps a row-major [inH, inW] grid to a row-major [outH, outW] grid:
   * {@code K[(i, j), (a, b)] = wh[i][a] * ww[j][b]}}
   *
   * @param wh the row weights, [outH][inH]
   * @param ww the column weights, [outW][inW]
   */
  public static float[] kron(double[][] wh, double[][] ww) {
    int outH = wh.length;
    int inH = wh[0].length;
    int outW = ww.length;
    int inW = ww[0].length;
    float[] k = new float[outH * outW * inH * inW];
    for (int i = 0; i < outH; i++) {
      for (int j = 0; j < outW; j++) {
        int row = (i * outW + j) * inH * inW;
        for (int a = 0; a < inH; a++) {
          for (int b = 0; b < inW; b++) {
            k[row + a * inW + b] = (float) (wh[i][a] * ww[j][b]);
          }
        }
      }
    }
    return k;
  }
}
