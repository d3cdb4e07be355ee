package org.cleft.onnx.export;

import java.io.IOException;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Dinov2Config;
import org.cleft.api.vision.BicubicWeights;

/**
 * DINOv2's embeddings for one square input size, computed in Java: the patch position embeddings
 * interpolated exactly as the HF model type does (unchanged when the patch grid matches; plain bicubic,
 * A = -0.75, for {@code dinov2}; antialiased bicubic, a = -0.5, for {@code dinov2_with_registers}),
 * and the prefix tokens: {@code cls_token + position[0]}, then the register tokens (which get no
 * position).
 */
final class PositionEmbeddings {
  private final int patches;
  private final float[] patchValues;
  private final float[] prefixValues;
  private final String interpolation;

  private PositionEmbeddings(int patches, float[] patchValues, float[] prefixValues, String interpolation) {
    this.patches = patches;
    this.patchValues = patchValues;
    this.prefixValues = prefixValues;
    this.interpolation = interpolation;
  }

  /**
   * Reads the tower's position embeddings, CLS and register tokens and prepares them for {@code size} pixels.
   *
   * @throws CheckpointException naming the tensor when one is missing, misshapen or unreadable
   */
  static PositionEmbeddings read(Dinov2Config c, CheckpointTensors t, int size) throws CheckpointException {
    int d = c.hiddenSize();
    String name = "embeddings.position_embeddings";
    long[] shape = t.shape(name);
    long count = shape.length == 3 ? shape[1] : 0;
    int side = (int) Math.round(Math.sqrt(count - 1));
    if (count < 2 || (long) side * side != count - 1) {
      throw new CheckpointException(t.path() + ": tensor '" + name + "' has shape " + java.util.Arrays.toString(shape)
          + "; expected [1, 1 + a square number of patches, " + d + "]");
    }
    float[] positions = values(t.require(name, 1, count, d));
    float[] cls = values(t.require("embeddings.cls_token", 1, 1, d));
    int registers = c.numRegisterTokens();
    float[] regs = registers > 0 ? values(t.require("embeddings.register_tokens", 1, registers, d)) : new float[0];
    float[] prefix = new float[(1 + registers) * d];
    for (int i = 0; i < d; i++) {
      prefix[i] = cls[i] + positions[i];
    }
    System.arraycopy(regs, 0, prefix, d, regs.length);
    int grid = size / c.patchSize();
    float[] patch = java.util.Arrays.copyOfRange(positions, d, positions.length);
    if (grid == side) {
      return new PositionEmbeddings(side * side, patch, prefix, "none");
    }
    boolean aa = c.withRegisters();
    double[][] w = aa ? BicubicWeights.antialiased(side, grid) : BicubicWeights.plain(side, grid);
    return new PositionEmbeddings(grid * grid, interpolate(patch, w, side, grid, d), prefix,
        aa ? "bicubic antialiased (a=-0.5)" : "bicubic (A=-0.75)");
  }

  /** Applies {@code out[i, j] = sum_ab w[i][a] w[j][b] in[a, b]} per channel, accumulating in double. */
  private static float[] interpolate(float[] in, double[][] w, int side, int grid, int d) {
    // rows first: tmp[i, b, :] = sum_a w[i][a] in[a, b, :]
    double[] tmp = new double[grid * side * d];
    for (int i = 0; i < grid; i++) {
      for (int a = 0; a < side; a++) {
        double wi = w[i][a];
        if (wi == 0) {
          continue;
        }
        for (int b = 0; b < side; b++) {
          int src = (a * side + b) * d;
          int dst = (i * side + b) * d;
          for (int k = 0; k < d; k++) {
            tmp[dst + k] += wi * in[src + k];
          }
        }
      }
    }
    // then columns: out[i, j, :] = sum_b w[j][b] tmp[i, b, :]
    float[] out = new float[grid * grid * d];
    for (int i = 0; i < grid; i++) {
      for (int j = 0; j < grid; j++) {
        int dst = (i * grid + j) * d;
        for (int k = 0; k < d; k++) {
          double s = 0;
          for (int b = 0; b < side; b++) {
            s += w[j][b] * tmp[(i * side + b) * d + k];
          }
          out[dst + k] = (float) s;
        }
      }
    }
    return out;
  }

  private static float[] values(Param p) throws CheckpointException {
    try {
      return p.read();
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** Number of patch tokens. */
  int patches() {
    return patches;
  }

  /** [patches, hidden] position embeddings of the patch tokens. */
  float[] patchValues() {
    return patchValues;
  }

  /** [1 + registers, hidden]: CLS token plus its position, then the register tokens. */
  float[] prefixValues() {
    return prefixValues;
  }

  /** How the positions were resized: {@code none} or the bicubic variant. */
  String interpolation() {
    return interpolation;
  }
}
