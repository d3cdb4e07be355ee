package org.cleft.api.checkpoint;

import java.nio.file.Path;
import org.cleft.api.NonFiniteValueException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;

/**
 * Refuses numbers that would give silently wrong answers: a NaN or infinite value in a checkpoint's heads (the
 * projections and {@code logit_scale}, read by every backend when a model loads), in embeddings or in scores.
 * Each error names the tensor or the output and the file.
 */
public final class FiniteCheck {
  private FiniteCheck() {}

  /**
   * Checks every floating-point tensor of a checkpoint's heads file.
   *
   * @param ckpt the opened checkpoint
   * @throws CheckpointException naming the file, the tensor and the first non-finite element
   */
  public static void heads(CleftCheckpoint ckpt) throws CheckpointException {
    Path file = ckpt.headsFile();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String name : f.names()) {
        if (!f.info(name).dtype().isFloatingPoint()) {
          continue;
        }
        float[] v = f.floats(name);
        int bad = firstNonFinite(v);
        if (bad >= 0) {
          throw new CheckpointException(file + ": tensor '" + name + "' holds " + v[bad] + " at element " + bad
              + "; the checkpoint is damaged (a diverged run? keep its last good checkpoint)");
        }
      }
    } catch (SafetensorsException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks values a model computed.
   *
   * @param values the values (embeddings, logits, probabilities)
   * @param what what they are, for the message (e.g. {@code "image embeddings"})
   * @param source where they came from, for the message (a backend, a checkpoint or a file)
   * @throws NonFiniteValueException naming the output, the first bad element and the source
   */
  public static void outputs(float[] values, String what, Object source) {
    int bad = firstNonFinite(values);
    if (bad >= 0) {
      throw new NonFiniteValueException(what + " hold " + values[bad] + " at element " + bad + " (model " + source
          + "): its weights or inputs are not finite; check the checkpoint with 'cleft verify' or retrain");
    }
  }

  /** {@return the index of the first NaN or infinite value, or -1} */
  static int firstNonFinite(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return i;
      }
    }
    return -1;
  }
}
