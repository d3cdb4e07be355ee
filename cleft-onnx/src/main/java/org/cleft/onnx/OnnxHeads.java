package org.cleft.onnx;

import java.nio.file.Path;
import java.util.Arrays;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;

/**
 * What the ONNX backend reads from a checkpoint's heads file: the learned {@code logit_scale} and
 * the embedding widths (rows of {@code image_projection.weight} and {@code text_projection.weight}).
 * The projections themselves are part of the exported graphs.
 *
 * @param logitScale the log temperature
 * @param imageWidth width of image embeddings
 * @param textWidth width of text embeddings
 */
record OnnxHeads(float logitScale, int imageWidth, int textWidth) {

  /**
   * Reads the heads file.
   *
   * @throws CheckpointException naming the file and the tensor that is missing or malformed
   */
  static OnnxHeads read(Path file) throws CheckpointException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      float[] scale = f.floats(require(f, "logit_scale"));
      if (scale.length != 1) {
        throw new CheckpointException(file + ": tensor 'logit_scale' has " + scale.length + " values; expected 1");
      }
      int image = rows(f, "image_projection.weight");
      int text = rows(f, "text_projection.weight");
      if (image != text) {
        throw new CheckpointException(file + ": image_projection.weight gives " + image + "-wide embeddings and "
            + "text_projection.weight " + text + "-wide; they must match");
      }
      return new OnnxHeads(scale[0], image, text);
    } catch (SafetensorsException e) {
      throw new CheckpointException(file + ": cannot read the heads: " + e.getMessage(), e);
    }
  }

  private static String require(SafetensorsFile f, String name) throws CheckpointException {
    if (!f.contains(name)) {
      throw new CheckpointException(f.path() + ": tensor '" + name + "' not found; the heads file holds "
          + f.names());
    }
    return name;
  }

  private static int rows(SafetensorsFile f, String name) throws CheckpointException, SafetensorsException {
    long[] shape = f.info(require(f, name)).shape();
    if (shape.length != 2 || shape[0] <= 0) {
      throw new CheckpointException(f.path() + ": tensor '" + name + "' has shape " + Arrays.toString(shape)
          + "; expected [embedding width, hidden width]");
    }
    return (int) shape[0];
  }
}
