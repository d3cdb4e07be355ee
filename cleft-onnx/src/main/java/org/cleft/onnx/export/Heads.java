package org.cleft.onnx.export;

import java.io.IOException;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.heads.ClipProjections;
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
    return ClipProjections.dim(GraphWeights.shapes(heads));
  }

  /**
   * {@code normalize(features @ W^T + b)} for head {@code name} ({@code image_projection} or {@code text_projection}),
   * as the model module writes it.
   *
   * @throws CheckpointException naming the file and tensor when a head does not fit the tower's width
   */
  static ONNXRef<?> project(GraphBuilder g, Layers nn, CheckpointTensors heads, String name, ONNXRef<?> features,
      int width) throws CheckpointException {
    GraphWeights weights = new GraphWeights(g, heads);
    return ClipProjections.project(new OnnxOps(g, nn, "").scope(name), ClipProjections.head(weights, name, width),
        features);
  }

  /**
   * The value of {@code logit_scale} (logits are {@code exp(logit_scale) * image @ text^T}).
   *
   * @throws CheckpointException naming the file when the tensor is missing or does not hold one value
   */
  static float logitScale(CheckpointTensors heads) throws CheckpointException {
    ClipProjections.checkLogitScale(GraphWeights.shapes(heads));
    try {
      return heads.require(ClipProjections.LOGIT_SCALE, heads.shape(ClipProjections.LOGIT_SCALE)).read()[0];
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }
}
