package org.cleft.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.util.Map;
import java.util.OptionalInt;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageEncoder;
import org.cleft.api.checkpoint.CheckpointException;

/**
 * The image tower and projection as the ONNX graph {@code image_encoder.onnx}:
 * {@code pixel_values} float [B,3,H,W] to {@code embeds} [B,E], L2-normalised. A graph exported at
 * one image size accepts only that size; {@link #imageHeight()} and {@link #imageWidth()} say which.
 * Every call's native values are closed before it returns; safe to call from several threads.
 */
public final class OnnxImageEncoder implements ImageEncoder {
  /** The graph's input name. */
  public static final String INPUT = "pixel_values";
  private final OnnxGraph graph;
  private final long[] inputShape;
  private final int embeddingDim;
  private final int inputSize;

  private OnnxImageEncoder(OnnxGraph graph, long[] inputShape, int embeddingDim, int inputSize) {
    this.graph = graph;
    this.inputShape = inputShape;
    this.embeddingDim = embeddingDim;
    this.inputSize = inputSize;
  }

  /**
   * Checks the graph's input and output and wraps it.
   *
   * @param channels the channel count from the vision config
   * @param embeddingDim the projection width from the heads file
   * @param checkpointSize the checkpoint's input size, used when the graph takes any size
   * @throws CheckpointException naming the graph and the input or output at fault
   */
  static OnnxImageEncoder of(OnnxGraph graph, int channels, int embeddingDim, int checkpointSize)
      throws CheckpointException {
    TensorInfo in = graph.input(INPUT, OnnxJavaType.FLOAT, 4, "float " + INPUT + " [B,3,H,W]");
    long[] shape = in.getShape();
    if (shape[1] > 0 && shape[1] != channels) {
      throw new CheckpointException(graph.file() + ": input '" + INPUT + "' takes " + shape[1]
          + " channels but the vision config has num_channels " + channels);
    }
    graph.checkOutputWidth(embeddingDim);
    // a graph exported at one size takes only that size; a dynamic one the checkpoint's
    int size = shape[2] > 0 && shape[2] == shape[3] ? (int) shape[2] : checkpointSize;
    return new OnnxImageEncoder(graph, shape, embeddingDim, size);
  }

  /**
   * The image height the graph accepts.
   *
   * @return the height, or empty when the graph takes any height
   */
  public OptionalInt imageHeight() {
    return inputShape[2] > 0 ? OptionalInt.of((int) inputShape[2]) : OptionalInt.empty();
  }

  /**
   * The image width the graph accepts.
   *
   * @return the width, or empty when the graph takes any width
   */
  public OptionalInt imageWidth() {
    return inputShape[3] > 0 ? OptionalInt.of((int) inputShape[3]) : OptionalInt.empty();
  }

  /**
   * Encodes a batch of preprocessed images.
   *
   * @throws IllegalArgumentException when the channel count or the image size differs from what the graph takes
   *     (the message names both)
   */
  @Override
  public Embeddings encode(ImageBatch images) {
    check(images);
    try (OnnxScope scope = graph.scope()) {
      Map<String, ai.onnxruntime.OnnxTensor> feeds = Map.of(INPUT, scope.floats(images.pixels(), images.shape()));
      return graph.embed(feeds, images.batch(), embeddingDim, scope);
    } catch (OrtException e) {
      throw new IllegalStateException("onnx: cannot create the input tensor for " + graph.name() + ": "
          + e.getMessage(), e);
    }
  }

  private void check(ImageBatch images) {
    if (inputShape[1] > 0 && images.channels() != inputShape[1]) {
      throw new IllegalArgumentException("onnx: images have " + images.channels() + " channels; "
          + graph.name() + " takes " + inputShape[1]);
    }
    ImageEncoder.checkInputSize(images, inputSize);
    boolean heightOk = inputShape[2] <= 0 || images.height() == inputShape[2];
    boolean widthOk = inputShape[3] <= 0 || images.width() == inputShape[3];
    if (!heightOk || !widthOk) {
      throw new IllegalArgumentException("onnx: image size " + images.height() + "x" + images.width()
          + " differs from the " + dim(inputShape[2]) + "x" + dim(inputShape[3]) + " that " + graph.name()
          + " accepts; preprocess to that size or export the graph for this size");
    }
  }

  private static String dim(long d) {
    return d > 0 ? Long.toString(d) : "any";
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  /** Width of the embeddings (the rows of {@code image_projection.weight}). */
  @Override
  public int embeddingDim() {
    return embeddingDim;
  }

  /** Native values of calls still open; 0 between calls. For the memory tests. */
  int liveValues() {
    return graph.liveValues();
  }

  /** Closing an encoder is a no-op: its model owns the session. */
  @Override
  public void close() {}
}
