package org.cleft.api;

import java.util.Arrays;
import java.util.List;

/**
 * A matrix of float32 embeddings, one row per input, row-major.
 *
 * @param data the values, {@code rows * dim}
 * @param rows number of embeddings
 * @param dim embedding width
 */
public record Embeddings(float[] data, int rows, int dim) {

  /**
   * Validates the array length against the dimensions.
   *
   * @param data the values, {@code rows * dim}
   * @param rows number of embeddings
   * @param dim embedding width
   */
  public Embeddings {
    if (rows < 0 || dim <= 0 || data == null || data.length != (long) rows * dim) {
      throw new IllegalArgumentException("Embeddings: expected " + rows + "x" + dim + " floats, got "
          + (data == null ? "null" : data.length));
    }
  }

  /**
   * {@return a copy of row {@code i}}
   *
   * @param i the row index
   */
  public float[] row(int i) {
    return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
  }

  /**
   * {@return value at row {@code i}, column {@code j}}
   *
   * @param i the row index
   * @param j the column index
   */
  public float get(int i, int j) {
    return data[i * dim + j];
  }

  /**
   * {@return the rows of several matrices of one width, stacked in order (the part itself when there is one)}
   *
   * @param parts at least one matrix, all of the same width
   * @throws IllegalArgumentException when there is none or the widths differ
   */
  public static Embeddings concat(List<Embeddings> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no embeddings to concatenate");
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int dim = parts.get(0).dim();
    int rows = 0;
    for (Embeddings e : parts) {
      if (e.dim() != dim) {
        throw new IllegalArgumentException("embeddings of width " + e.dim() + " and " + dim + " cannot be stacked");
      }
      rows += e.rows();
    }
    float[] data = new float[rows * dim];
    int at = 0;
    for (Embeddings e : parts) {
      System.arraycopy(e.data(), 0, data, at, e.data().length);
      at += e.data().length;
    }
    return new Embeddings(data, rows, dim);
  }

  /** {@return this matrix with every row scaled to unit L2 norm (rows of norm 0 stay 0)} */
  public Embeddings normalized() {
    float[] out = data.clone();
    for (int i = 0; i < rows; i++) {
      double sum = 0;
      for (int j = 0; j < dim; j++) {
        sum += (double) out[i * dim + j] * out[i * dim + j];
      }
      double norm = Math.sqrt(sum);
      if (norm > 0) {
        for (int j = 0; j < dim; j++) {
          out[i * dim + j] = (float) (out[i * dim + j] / norm);
        }
      }
    }
    return new Embeddings(out, rows, dim);
  }

  /**
   * {@code scale * this @ other^T}: a {@code rows x other.rows} matrix of scaled dot products.
   *
   * @param other the embeddings to compare with, of the same width
   * @param scale the factor applied to every dot product (for logits: {@code exp(logit_scale)})
   * @return the scaled similarity matrix, {@code [rows][other.rows]}
   */
  public float[][] similarity(Embeddings other, double scale) {
    if (other.dim != dim) {
      throw new IllegalArgumentException("embedding widths differ: " + dim + " vs " + other.dim);
    }
    float[][] out = new float[rows][other.rows];
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < other.rows; k++) {
        double s = 0;
        for (int j = 0; j < dim; j++) {
          s += (double) data[i * dim + j] * other.data[k * dim + j];
        }
        out[i][k] = (float) (scale * s);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embeddings e && e.rows == rows && e.dim == dim && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + rows * 7 + dim;
  }

  @Override
  public String toString() {
    return "Embeddings[" + rows + "x" + dim + "]";
  }
}
