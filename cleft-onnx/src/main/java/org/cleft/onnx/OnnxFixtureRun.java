package org.cleft.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.Classification;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.spi.BackendOptions;

/**
 * Runs a reference fixture directory (the layout of {@code hf-reference/tiny}, which is also a
 * checkpoint with an {@code onnx/} folder) through ONNX Runtime and returns the tensors the exported
 * graphs can give, under the fixture's names: {@code image_embeds}, {@code text_embeds},
 * {@code logits_per_image}, {@code loss} and, when the inputs hold zero-shot captions,
 * {@code zero_shot.text_embeds}, {@code zero_shot.logits}, {@code zero_shot.probs}. Tower internals
 * ({@code vision.*}, {@code text.*}), adapters and training tensors are not outputs of the graphs and
 * are not computed.
 */
public final class OnnxFixtureRun {
  private OnnxFixtureRun() {}

  /**
   * Computes the tensors for the fixture in {@code dir} on the CPU.
   *
   * @param dir the fixture directory
   * @return the computed tensors by fixture name, in a stable order
   * @throws CheckpointException when the fixture, its graphs or its {@code inputs.safetensors} cannot be read
   */
  public static Map<String, Tensor> forward(Path dir) throws CheckpointException {
    return forward(dir, BackendOptions.defaults());
  }

  /**
   * Computes the tensors for the fixture in {@code dir} with the given backend options.
   *
   * @param dir the fixture directory
   * @param options the backend options (device, for instance)
   * @return the computed tensors by fixture name, in a stable order
   * @throws CheckpointException when the fixture, its graphs or its {@code inputs.safetensors} cannot be read
   */
  public static Map<String, Tensor> forward(Path dir, BackendOptions options) throws CheckpointException {
    Path inputsFile = dir.resolve("inputs.safetensors");
    if (!Files.isRegularFile(inputsFile)) {
      throw new CheckpointException(inputsFile + ": fixture inputs not found");
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (OnnxBackend backend = new OnnxBackend(options);
        OnnxCleftModel model = backend.load(dir);
        SafetensorsFile inputs = SafetensorsFile.open(inputsFile)) {
      double scale = Math.exp(model.logitScale());
      Embeddings images = model.imageEncoder().encode(images(inputs, "pixel_values"));
      Embeddings texts = model.textEncoder().encode(tokens(inputs, "input_ids", "attention_mask"));
      float[][] logits = images.similarity(texts, scale);
      put(out, "image_embeds", images);
      put(out, "text_embeds", texts);
      out.put("logits_per_image", matrix(logits));
      out.put("loss", Tensor.ofFloats(new long[] {1}, new float[] {(float) contrastiveLoss(logits)}));
      if (inputs.contains("zero_shot_input_ids")) {
        Embeddings classes = model.textEncoder().encode(
            tokens(inputs, "zero_shot_input_ids", "zero_shot_attention_mask"));
        float[][] zeroShot = images.similarity(classes, scale);
        Classification c = Classification.fromLogits(java.util.Collections.nCopies(classes.rows(), ""), zeroShot);
        put(out, "zero_shot.text_embeds", classes);
        out.put("zero_shot.logits", matrix(zeroShot));
        out.put("zero_shot.probs", matrix(c.probabilities()));
      }
    } catch (SafetensorsException e) {
      throw new CheckpointException(inputsFile + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The CLIP loss of a square logit matrix, as the reference computes it: the cross-entropy of each
   * row against the diagonal plus that of each column, each averaged over the batch.
   *
   * @param logits a square matrix, image rows against text columns
   * @return the loss, computed in double precision
   */
  public static double contrastiveLoss(float[][] logits) {
    int n = logits.length;
    double rows = 0;
    double cols = 0;
    for (int i = 0; i < n; i++) {
      if (logits[i].length != n) {
        throw new IllegalArgumentException("contrastive loss needs square logits, row " + i + " has "
            + logits[i].length + " of " + n);
      }
      double rowMax = Double.NEGATIVE_INFINITY;
      double colMax = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        rowMax = Math.max(rowMax, logits[i][j]);
        colMax = Math.max(colMax, logits[j][i]);
      }
      double rowSum = 0;
      double colSum = 0;
      for (int j = 0; j < n; j++) {
        rowSum += Math.exp(logits[i][j] - rowMax);
        colSum += Math.exp(logits[j][i] - colMax);
      }
      rows += rowMax + Math.log(rowSum) - logits[i][i];
      cols += colMax + Math.log(colSum) - logits[i][i];
    }
    return rows / n + cols / n;
  }

  private static ImageBatch images(SafetensorsFile f, String name) throws SafetensorsException {
    long[] s = f.info(name).shape();
    return new ImageBatch(f.floats(name), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
  }

  private static TokenBatch tokens(SafetensorsFile f, String ids, String mask) throws SafetensorsException {
    long[] s = f.info(ids).shape();
    return new TokenBatch(f.longs(ids), f.longs(mask), (int) s[0], (int) s[1]);
  }

  private static void put(Map<String, Tensor> out, String name, Embeddings e) {
    out.put(name, Tensor.ofFloats(new long[] {e.rows(), e.dim()}, e.data()));
  }

  private static Tensor matrix(float[][] m) {
    int cols = m.length == 0 ? 0 : m[0].length;
    float[] flat = new float[m.length * cols];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, flat, i * cols, cols);
    }
    return Tensor.ofFloats(new long[] {m.length, cols}, flat);
  }
}
