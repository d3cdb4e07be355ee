package org.cleft.tf;

import java.util.List;
import java.util.Map;
import org.cleft.api.Embeddings;
import org.cleft.api.TextTokenizer;
import org.cleft.api.TokenBatch;
import org.cleft.api.spi.CheckedTextEncoder;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** The text tower (adapter merged or in the graph) and projection as a TensorFlow graph. Safe from several threads. */
final class TfTextEncoder extends CheckedTextEncoder {
  private final TfGraph graph;
  private final Operand<TInt64> ids;
  private final Operand<TInt64> mask;
  private final Operand<?> embeds;

  TfTextEncoder(TfGraph graph, Operand<TInt64> ids, Operand<TInt64> mask, Operand<?> embeds, TextTokenizer tokenizer,
      int maxLength, long vocabSize, int dim) {
    super(tokenizer, maxLength, vocabSize, dim);
    this.graph = graph;
    this.ids = ids;
    this.mask = mask;
    this.embeds = embeds;
  }

  @Override
  protected Embeddings encodeChecked(TokenBatch tokens) {
    Shape shape = Shape.of(tokens.shape());
    TInt64 i = TInt64.tensorOf(shape, DataBuffers.of(tokens.ids(), true, false));
    TInt64 m = TInt64.tensorOf(shape, DataBuffers.of(tokens.mask(), true, false));
    try (TfGraph.Call call = graph.call(i, m)) {
      Result r = call.run(Map.<Operand<?>, Tensor>of(ids, i, mask, m), List.of(embeds));
      return TfGraph.embeddings((TFloat32) r.get(0), tokens.batch(), embeddingDim());
    }
  }

  /** {@return the native values of calls still open} */
  long liveValues() {
    return graph.liveValues();
  }

  /** Closing an encoder is a no-op: its model owns the graph, the tensors and the tokenizer. */
  @Override
  public void close() {}
}
