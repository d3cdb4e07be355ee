package org.cleft.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.Map;
import org.cleft.api.Embeddings;
import org.cleft.api.TextTokenizer;
import org.cleft.api.TokenBatch;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.spi.CheckedTextEncoder;

/**
 * The text tower and projection as the ONNX graph {@code text_encoder.onnx}: {@code input_ids}
 * and {@code attention_mask}, int64 [B,S], right padded, to {@code embeds} [B,E], L2-normalised.
 * Whatever adapter the checkpoint was trained with is part of the exported graph. Every call's
 * native values are closed before it returns; safe to call from several threads.
 */
public final class OnnxTextEncoder extends CheckedTextEncoder {
  /** The token ids input. */
  public static final String IDS = "input_ids";
  /** The attention mask input. */
  public static final String MASK = "attention_mask";
  private final OnnxGraph graph;

  private OnnxTextEncoder(OnnxGraph graph, TextTokenizer tokenizer, int maxLength, int vocabSize, int embeddingDim) {
    super(tokenizer, maxLength, vocabSize, embeddingDim);
    this.graph = graph;
  }

  /**
   * Checks the graph's inputs and output and wraps it.
   *
   * @throws CheckpointException naming the graph and the input or output at fault
   */
  static OnnxTextEncoder of(OnnxGraph graph, TextTokenizer tokenizer, int maxLength, int vocabSize,
      int embeddingDim) throws CheckpointException {
    graph.input(IDS, OnnxJavaType.INT64, 2, "int64 " + IDS + " [B,S]");
    graph.input(MASK, OnnxJavaType.INT64, 2, "int64 " + MASK + " [B,S]");
    graph.checkOutputWidth(embeddingDim);
    return new OnnxTextEncoder(graph, tokenizer, maxLength, vocabSize, embeddingDim);
  }

  /** {@inheritDoc} On ONNX Runtime: right-padded ids and mask, int64, to the graph's {@code embeds}. */
  @Override
  protected Embeddings encodeChecked(TokenBatch tokens) {
    try (OnnxScope scope = graph.scope()) {
      Map<String, OnnxTensor> feeds = Map.of(IDS, scope.longs(tokens.ids(), tokens.shape()),
          MASK, scope.longs(tokens.mask(), tokens.shape()));
      return graph.embed(feeds, tokens.batch(), embeddingDim(), scope);
    } catch (OrtException e) {
      throw new IllegalStateException("onnx: cannot create the input tensors for " + graph.name() + ": "
          + e.getMessage(), e);
    }
  }

  /** Native values of calls still open; 0 between calls. For the memory tests. */
  int liveValues() {
    return graph.liveValues();
  }

  /** Closing an encoder is a no-op: its model owns the session and the tokenizer. */
  @Override
  public void close() {}
}
