package org.cleft.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.djl.nn.DjlOps;
import org.cleft.djl.nn.Parameters;
import org.cleft.model.Linear;
import org.cleft.model.heads.ClipProjections;

/** The CLEFT heads: image and text projections to the shared space and the learned {@code logit_scale}. */
public final class ClipHeads {
  private final Parameters params;
  private final Linear<NDArray> image;
  private final Linear<NDArray> text;
  private final NDArray logitScale;

  private ClipHeads(Parameters params, int visionWidth, int textWidth) throws CheckpointException {
    this.params = params;
    image = ClipProjections.head(params, ClipProjections.IMAGE, visionWidth);
    text = ClipProjections.head(params, ClipProjections.TEXT, textWidth);
    ClipProjections.checkLogitScale(params);
    logitScale = params.asMap().get(ClipProjections.LOGIT_SCALE);
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
    return (int) image.weight().getShape().get(0);
  }

  /**
   * {@return {@code normalize(image_projection(features))}}
   *
   * @param features pooled image features [batch, vision width]
   */
  public NDArray projectImage(NDArray features) {
    return ClipProjections.project(DjlOps.INSTANCE, image, features);
  }

  /**
   * {@return {@code normalize(text_projection(features))}}
   *
   * @param features pooled text features [batch, text width]
   */
  public NDArray projectText(NDArray features) {
    return ClipProjections.project(DjlOps.INSTANCE, text, features);
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
