package org.cleft.onnx.export;

import java.io.IOException;
import org.cleft.api.checkpoint.CheckpointException;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The CLEFT heads in {@code heads.safetensors}: {@code image_projection} and {@code text_projection}
 * ([dim, tower width], bias optional) to the shared space, followed by L2 normalisation, and
 * {@code logit_scale}.
 */
final class Heads {
  private Heads() {}

  /**
   * Width of the shared embedding space (rows of {@code image_projection.weight}).
   *
   * @throws CheckpointException naming the file when the tensor is missing or not 2-D
   */
  static int dim(CheckpointTensors heads) throws CheckpointException {
    long[] s = heads.shape("image_projection.weight");
    if (s.length != 2) {
      throw new CheckpointException(heads.path() + ": tensor 'image_projection.weight' has shape "
          + java.util.Arrays.toString(s) + ", expected [dim, vision hidden size]");
    }
    return (int) s[0];
  }

  /**
   * {@code normalize(features @ W^T + b)} for head {@code name} ({@code image_projection} or {@code text_projection}).
   *
   * @throws CheckpointException naming the file and tensor when a head does not fit the tower's width
   */
  static ONNXRef<?> project(GraphBuilder g, Layers nn, CheckpointTensors heads, String name, ONNXRef<?> features,
      int width) throws CheckpointException {
    int dim = dim(heads);
    ONNXRef<?> w = g.weight(name + ".weight", heads.require(name + ".weight", dim, width).transposed());
    ONNXRef<?> b = heads.contains(name + ".bias") ? g.weight(name + ".bias", heads.require(name + ".bias", dim)) : null;
    return nn.l2Normalize(name + ".normalize", nn.linear(name, features, w, b));
  }

  /**
   * The value of {@code logit_scale} (logits are {@code exp(logit_scale) * image @ text^T}).
   *
   * @throws CheckpointException naming the file when the tensor is missing or does not hold one value
   */
  static float logitScale(CheckpointTensors heads) throws CheckpointException {
    long[] s = heads.shape("logit_scale");
    long n = java.util.Arrays.stream(s).reduce(1, Math::multiplyExact);
    if (n != 1) {
      throw new CheckpointException(heads.path() + ": tensor 'logit_scale' must hold one value, has shape "
          + java.util.Arrays.toString(s));
    }
    try {
      return heads.require("logit_scale", s).read()[0];
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }
}
