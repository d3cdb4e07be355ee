package org.cleft.model.heads;

import java.util.Arrays;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.cleft.model.Weights;

/**
 * The CLEFT heads of {@code heads.safetensors}, written once for every engine: {@code image_projection} and
 * {@code text_projection} ({@code nn.Linear} from a tower's width to the shared space, bias optional), each followed by
 * L2 normalisation, and the learned temperature {@code logit_scale} (logits are
 * {@code exp(logit_scale) * image @ text^T}).
 */
public final class ClipProjections {
  /** The image head's module name. */
  public static final String IMAGE = "image_projection";
  /** The text head's module name. */
  public static final String TEXT = "text_projection";
  /** The temperature's tensor name. */
  public static final String LOGIT_SCALE = "logit_scale";

  private ClipProjections() {}

  /**
   * {@return the width of the shared space: the rows of {@code image_projection.weight}}
   *
   * @param heads the heads' tensors
   * @throws CheckpointException naming the file when the tensor is missing or not 2-D
   */
  public static int dim(Weights<?> heads) throws CheckpointException {
    long[] s = heads.shape(IMAGE + ".weight");
    if (s.length != 2) {
      throw new CheckpointException(heads.origin() + ": tensor '" + IMAGE + ".weight' has shape " + Arrays.toString(s)
          + ", expected [dim, vision hidden size]");
    }
    return (int) s[0];
  }

  /**
   * {@return a head, checked against the shared space's width and the tower's}
   *
   * @param <T> the engine's tensor handle
   * @param heads the heads' tensors
   * @param head {@link #IMAGE} or {@link #TEXT}
   * @param towerWidth the tower's hidden width
   * @throws CheckpointException naming the file, the tensor and both shapes when the head does not fit
   */
  public static <T> Linear<T> head(Weights<T> heads, String head, int towerWidth) throws CheckpointException {
    return heads.linear(head, dim(heads), towerWidth);
  }

  /**
   * Checks that {@code logit_scale} holds one value.
   *
   * @param heads the heads' tensors
   * @throws CheckpointException naming the file when it is missing or holds another number of values
   */
  public static void checkLogitScale(Weights<?> heads) throws CheckpointException {
    long[] s = heads.shape(LOGIT_SCALE);
    if (Arrays.stream(s).reduce(1, Math::multiplyExact) != 1) {
      throw new CheckpointException(heads.origin() + ": tensor '" + LOGIT_SCALE + "' must hold one value, has shape "
          + Arrays.toString(s));
    }
  }

  /**
   * {@return {@code normalize(head(features))}: a tower's pooled features in the shared space}
   *
   * @param <T> the engine's tensor handle
   * @param ops the engine's ops (scoped by the caller, e.g. to the head's name)
   * @param head the head ({@link #head})
   * @param features the pooled features [batch, tower width]
   */
  public static <T> T project(Ops<T> ops, Linear<T> head, T features) {
    return ops.l2Normalize(ops.linear(features, head));
  }
}
