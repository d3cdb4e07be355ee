package org.cleft.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.djl.nn.Ops;
import org.cleft.djl.nn.Parameters;

/** The CLEFT heads: image and text projections to the shared space and the learned {@code logit_scale}. */
public final class ClipHeads {
  private final Parameters params;
  private final NDArray imageWeight;
  private final NDArray imageBias;
  private final NDArray textWeight;
  private final NDArray textBias;
  private final NDArray logitScale;

  private ClipHeads(Parameters params, int visionWidth, int textWidth) throws CheckpointException {
    this.params = params;
    if (!params.contains("image_projection.weight")) {
      throw new CheckpointException(params.origin() + ": tensor 'image_projection.weight' is missing");
    }
    long dim = params.asMap().get("image_projection.weight").getShape().get(0);
    imageWeight = params.require("image_projection.weight", dim, visionWidth);
    imageBias = params.contains("image_projection.bias") ? params.require("image_projection.bias", dim) : null;
    textWeight = params.require("text_projection.weight", dim, textWidth);
    textBias = params.contains("text_projection.bias") ? params.require("text_projection.bias", dim) : null;
    NDArray scale = params.asMap().get("logit_scale");
    if (scale == null || scale.size() != 1) {
      throw new CheckpointException(params.origin() + ": tensor 'logit_scale' must hold one value, got "
          + (scale == null ? "none" : scale.getShape()));
    }
    logitScale = scale;
  }

  /**
   * Loads {@code heads.safetensors}, checking the projections against the towers' widths.
   *
   * @param manager owns the loaded arrays
   * @param file the {@code heads.safetensors} file
   * @param visionWidth the image tower's hidden width
   * @param textWidth the text tower's hidden width
   * @return the heads
   * @throws CheckpointException naming the file and tensor when one is missing or misshapen
   */
  public static ClipHeads load(NDManager manager, Path file, int visionWidth, int textWidth)
      throws CheckpointException {
    try (SafetensorsFile source = SafetensorsFile.open(file)) {
      return new ClipHeads(Parameters.load(manager, source, n -> true, null), visionWidth, textWidth);
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** {@return width of the shared embedding space} */
  public int embeddingDim() {
    return (int) imageWeight.getShape().get(0);
  }

  /**
   * {@return {@code normalize(image_projection(features))}}
   *
   * @param features pooled image features [batch, vision width]
   */
  public NDArray projectImage(NDArray features) {
    return Ops.l2Normalize(Ops.linear(features, imageWeight, imageBias));
  }

  /**
   * {@return {@code normalize(text_projection(features))}}
   *
   * @param features pooled text features [batch, text width]
   */
  public NDArray projectText(NDArray features) {
    return Ops.l2Normalize(Ops.linear(features, textWeight, textBias));
  }

  /** {@return the {@code logit_scale} parameter (one value)} */
  public NDArray logitScaleArray() {
    return logitScale;
  }

  /** {@return the current value of {@code logit_scale}} */
  public float logitScale() {
    return logitScale.toFloatArray()[0];
  }

  /** {@return the head parameters under their checkpoint names} */
  public Map<String, NDArray> parameters() {
    return params.asMap();
  }
}
