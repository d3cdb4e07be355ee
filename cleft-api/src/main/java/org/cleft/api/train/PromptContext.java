package org.cleft.api.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.cleft.api.TextTokenizer;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;

/** Where prompt tuning's context vectors start, the same on every engine. */
public final class PromptContext {
  private PromptContext() {}

  /**
   * {@return the initial context [n_ctx, width]: the token embeddings of {@link TrainingConfig#promptInitText()}
   * repeated then truncated to {@link TrainingConfig#promptContext()} (peft's {@code PromptTuningInit.TEXT}), or
   * N(0, 0.02) from the run's seed when it is null}
   *
   * @param config the run's configuration
   * @param tokenizer the text tower's tokenizer
   * @param width the text tower's width
   * @param embed the token embeddings of ids, row-major [ids, width]
   * @throws IllegalArgumentException when the init text has no tokens
   */
  public static float[] initial(TrainingConfig config, TextTokenizer tokenizer, int width,
      Function<long[], float[]> embed) {
    int n = config.promptContext();
    if (config.promptInitText() == null) {
      Random r = new Random(config.seed());
      float[] v = new float[n * width];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (0.02 * r.nextGaussian());
      }
      return v;
    }
    long[] ids = tokenizer.ids(config.promptInitText());
    if (ids.length == 0) {
      throw new IllegalArgumentException("promptInitText '" + config.promptInitText() + "' has no tokens");
    }
    long[] repeated = new long[n];
    for (int i = 0; i < n; i++) {
      repeated[i] = ids[i % ids.length];
    }
    return embed.apply(repeated);
  }

  /**
   * {@return the context saved in a prompt-tuned checkpoint, checked against the run}
   *
   * @param ckpt the checkpoint a learner wrote
   * @param n the run's number of context vectors
   * @param width the text tower's width
   * @throws CheckpointException naming the file when it is missing or its {@code ctx} does not fit
   */
  public static float[] saved(CleftCheckpoint ckpt, int n, int width) throws CheckpointException {
    Path file = ckpt.promptFile().orElseThrow(() -> new CheckpointException(ckpt.directory()
        + ": cannot resume prompt tuning: cleft.json names no prompt file"));
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      long[] shape = f.info("ctx").shape();
      if (shape.length != 2 || shape[0] != n || shape[1] != width) {
        throw new CheckpointException(file + ": tensor 'ctx' has shape " + Arrays.toString(shape)
            + ", expected [" + n + ", " + width + "]");
      }
      return f.floats("ctx");
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }
}
