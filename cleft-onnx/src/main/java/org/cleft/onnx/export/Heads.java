package org.cleft.onnx.export;

import java.io.IOException;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.heads.ClipProjections;

/**
 * What the exporter reads of {@code heads.safetensors} outside the graphs: the shared space's width and the value of
 * {@code logit_scale} (the heads themselves are the model module's {@link ClipProjections}).
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
