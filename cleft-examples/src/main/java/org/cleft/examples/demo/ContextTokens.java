package org.cleft.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;

/**
 * The vocabulary tokens nearest (by cosine similarity) to each learned context vector of a prompt-tuned checkpoint:
 * a readable hint of what the context learned. The context lives in the text tower's input embedding space, so its
 * neighbours are rows of the token embedding matrix ({@code wte.weight}).
 */
final class ContextTokens {
  private ContextTokens() {}

  /**
   * The nearest tokens of each context vector.
   *
   * @param checkpoint a prompt-tuned checkpoint ({@code prompt.safetensors} with {@code ctx}, and a GPT-2 {@code text/}
   *     folder with {@code model.safetensors} and {@code vocab.json})
   * @param k tokens per context vector
   * @return per context vector, its {@code k} nearest tokens, nearest first, spaces shown as they decode
   * @throws IOException when a file cannot be read or lacks the tensor, naming it
   */
  static List<List<String>> nearest(Path checkpoint, int k) throws IOException {
    float[] ctx;
    long[] ctxShape;
    try (SafetensorsFile prompt = SafetensorsFile.open(checkpoint.resolve("prompt.safetensors"))) {
      ctx = prompt.floats("ctx");
      ctxShape = prompt.info("ctx").shape();
    } catch (SafetensorsException e) {
      throw new IOException(checkpoint.resolve("prompt.safetensors") + ": " + e.getMessage(), e);
    }
    Path weights = checkpoint.resolve("text/model.safetensors");
    float[] wte;
    int width = (int) ctxShape[1];
    try (SafetensorsFile text = SafetensorsFile.open(weights)) {
      String name = text.contains("wte.weight") ? "wte.weight" : "transformer.wte.weight";
      wte = text.floats(name);
      if (text.info(name).shape()[1] != width) {
        throw new IOException(weights + ": " + name + " is " + text.info(name).shape()[1] + " wide but ctx is "
            + width);
      }
    } catch (SafetensorsException e) {
      throw new IOException(weights + ": " + e.getMessage(), e);
    }
    Map<Integer, String> vocab = vocabulary(checkpoint.resolve("text/vocab.json"));
    int tokens = wte.length / width;
    double[] norms = new double[tokens];
    for (int t = 0; t < tokens; t++) {
      double s = 0;
      for (int j = 0; j < width; j++) {
        s += (double) wte[t * width + j] * wte[t * width + j];
      }
      norms[t] = Math.sqrt(s) + 1e-12;
    }
    List<List<String>> out = new ArrayList<>();
    for (int c = 0; c < ctxShape[0]; c++) {
      int[] best = new int[k];
      double[] bestScore = new double[k];
      Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
      for (int t = 0; t < tokens; t++) {
        double dot = 0;
        for (int j = 0; j < width; j++) {
          dot += (double) ctx[c * width + j] * wte[t * width + j];
        }
        double score = dot / norms[t];
        for (int i = 0; i < k; i++) {
          if (score > bestScore[i]) {
            System.arraycopy(bestScore, i, bestScore, i + 1, k - i - 1);
            System.arraycopy(best, i, best, i + 1, k - i - 1);
            bestScore[i] = score;
            best[i] = t;
            break;
          }
        }
      }
      List<String> words = new ArrayList<>();
      for (int t : best) {
        words.add(vocab.getOrDefault(t, "#" + t).replace('\u0120', ' ').replace('\u010A', '\n'));
      }
      out.add(words);
    }
    return out;
  }

  private static Map<Integer, String> vocabulary(Path vocabJson) throws IOException {
    JsonNode root = new ObjectMapper().readTree(vocabJson.toFile());
    Map<Integer, String> byId = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byId.put(e.getValue().asInt(), e.getKey());
    }
    return byId;
  }
}
