package org.cleft.tf;

import java.util.List;
import java.util.Map;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageEncoder;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The image tower and projection as a TensorFlow graph at the checkpoint's input size. Safe from several threads. */
final class TfImageEncoder implements ImageEncoder {
  private final TfGraph graph;
  private final Operand<TFloat32> pixels;
  private final Operand<?> embeds;
  private final int channels;
  private final int inputSize;
  private final int dim;

  TfImageEncoder(TfGraph graph, Operand<TFloat32> pixels, Operand<?> embeds, int channels, int inputSize, int dim) {
    this.graph = graph;
    this.pixels = pixels;
    this.embeds = embeds;
    this.channels = channels;
    this.inputSize = inputSize;
    this.dim = dim;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public Embeddings encode(ImageBatch images) {
    if (images.channels() != channels) {
      throw new IllegalArgumentException("tf: images have " + images.channels() + " channels; the vision tower "
          + "expects " + channels);
    }
    ImageEncoder.checkInputSize(images, inputSize);
    TFloat32 in = TFloat32.tensorOf(Shape.of(images.shape()), DataBuffers.of(images.pixels(), true, false));
    try (TfGraph.Call call = graph.call(in)) {
      Result r = call.run(Map.<Operand<?>, Tensor>of(pixels, in), List.of(embeds));
      return TfGraph.embeddings((TFloat32) r.get(0), images.batch(), dim);
    }
  }

  @Override
  public int embeddingDim() {
    return dim;
  }

  /** {@return the native values of calls still open} */
  long liveValues() {
    return graph.liveValues();
  }

  /** Closing an encoder is a no-op: its model owns the graph and the tensors. */
  @Override
  public void close() {}
}
