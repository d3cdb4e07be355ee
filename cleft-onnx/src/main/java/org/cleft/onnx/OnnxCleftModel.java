package org.cleft.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleft.api.ClassCaptions;
import org.cleft.api.Embeddings;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.FiniteCheck;
import org.cleft.api.checkpoint.PrefixTuningConfig;
import org.cleft.api.spi.AbstractCleftModel;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;

/**
 * A CLEFT checkpoint on ONNX Runtime: the towers come from the checkpoint's {@code onnx/} folder
 * ({@value #IMAGE_GRAPH}, {@value #TEXT_GRAPH}, each possibly with external weights beside it), the
 * tokenizer from its text folder, {@code logit_scale} from its heads file. Owns one session per
 * graph and the tokenizer; closing the model closes them. Safe to share across threads.
 */
public final class OnnxCleftModel extends AbstractCleftModel {
  /** The folder of a checkpoint that holds the ONNX graphs. */
  public static final String ONNX_FOLDER = "onnx";
  /** The image tower graph. */
  public static final String IMAGE_GRAPH = "image_encoder.onnx";
  /** The text tower graph. */
  public static final String TEXT_GRAPH = "text_encoder.onnx";
  private final CleftCheckpoint checkpoint;
  private final OnnxGraph imageGraph;
  private final OnnxGraph textGraph;
  private final HfTextTokenizer tokenizer;
  private final OnnxImageEncoder imageEncoder;
  private final OnnxTextEncoder textEncoder;
  private final float logitScale;
  private volatile boolean closed;

  private OnnxCleftModel(CleftCheckpoint checkpoint, OnnxGraph imageGraph, OnnxGraph textGraph,
      HfTextTokenizer tokenizer, OnnxImageEncoder imageEncoder, OnnxTextEncoder textEncoder, float logitScale) {
    this.checkpoint = checkpoint;
    this.imageGraph = imageGraph;
    this.textGraph = textGraph;
    this.tokenizer = tokenizer;
    this.imageEncoder = imageEncoder;
    this.textEncoder = textEncoder;
    this.logitScale = logitScale;
  }

  /**
   * Loads a checkpoint directory whose {@code onnx/} folder holds both graphs.
   *
   * @throws CheckpointException naming the missing or malformed file, input or tensor
   */
  static OnnxCleftModel load(Path dir, OnnxSessions sessions) throws CheckpointException {
    CleftCheckpoint ckpt = CleftCheckpoint.open(dir);
    FiniteCheck.heads(ckpt);
    Path folder = dir.resolve(ONNX_FOLDER);
    if (!Files.isDirectory(folder)) {
      throw new CheckpointException(folder + ": folder with " + IMAGE_GRAPH + " and " + TEXT_GRAPH
          + " not found (write it with 'cleft export'; see docs/backends.md)");
    }
    OnnxHeads heads = OnnxHeads.read(ckpt.headsFile());
    HfTextTokenizer tokenizer = null;
    OnnxGraph image = null;
    OnnxGraph text = null;
    try {
      try {
        tokenizer = TextTokenizers.fromDirectory(ckpt.textDir());
      } catch (RuntimeException e) {
        throw new CheckpointException(ckpt.textDir() + ": cannot load the tokenizer: " + e.getMessage(), e);
      }
      image = sessions.open(folder.resolve(IMAGE_GRAPH), "image encoder");
      text = sessions.open(folder.resolve(TEXT_GRAPH), "text encoder");
      OnnxImageEncoder imageEncoder = OnnxImageEncoder.of(image, ckpt.visionConfig().numChannels(),
          heads.imageWidth(), ckpt.imageSize());
      OnnxTextEncoder textEncoder = OnnxTextEncoder.of(text, tokenizer, maxLength(ckpt),
          ckpt.textConfig().vocabSize(), heads.textWidth());
      return new OnnxCleftModel(ckpt, image, text, tokenizer, imageEncoder, textEncoder, heads.logitScale());
    } catch (CheckpointException | RuntimeException e) {
      closeQuietly(image, e);
      closeQuietly(text, e);
      closeQuietly(tokenizer, e);
      throw e;
    }
  }

  /** As in the DJL backend: the manifest's max_length, else n_positions, less any prefix the graph holds. */
  private static int maxLength(CleftCheckpoint ckpt) {
    int positions = ckpt.textConfig().maxPositions();
    int maxLength = ckpt.maxTextLength();
    int prefix = ckpt.adapter().map(a -> a.config() instanceof PrefixTuningConfig p ? p.numVirtualTokens() : 0)
        .orElse(0);
    return Math.min(maxLength, positions - prefix);
  }

  private static void closeQuietly(AutoCloseable c, Exception primary) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }

  @Override
  public String backendName() {
    return OnnxBackendProvider.NAME;
  }

  @Override
  public OnnxImageEncoder imageEncoder() {
    return imageEncoder;
  }

  @Override
  public OnnxTextEncoder textEncoder() {
    return textEncoder;
  }

  @Override
  public float logitScale() {
    return logitScale;
  }

  /**
   * Native values (input tensors, outputs) of calls that ONNX Runtime does not report closed, over both graphs.
   *
   * @return 0 between calls; for the memory tests
   */
  public int liveNativeValues() {
    return imageGraph.liveValues() + textGraph.liveValues();
  }

  /** {@inheritDoc} The captions are encoded once, here. */
  @Override
  public OnnxZeroShotClassifier zeroShot(List<String> classNames, String template) {
    return zeroShot(classCaptions(classNames, template));
  }

  /** {@inheritDoc} The captions are encoded once, here. */
  @Override
  public OnnxZeroShotClassifier zeroShot(ClassCaptions captions) {
    return classifier(captions.classNames(), textEncoder.encodeTexts(captions.captions()));
  }

  /** {@inheritDoc} On ONNX Runtime it also classifies a single {@code ImageTensor}. */
  @Override
  public OnnxZeroShotClassifier classifier(List<String> classNames, Embeddings classes) {
    return new OnnxZeroShotClassifier(classNames, classes, logitScale, imageEncoder);
  }

  @Override
  public CleftCheckpoint source() {
    return checkpoint;
  }

  /** Closes both sessions and the tokenizer; idempotent. Calls still running finish first. */
  @Override
  protected void closeEngine() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      imageGraph.close();
      textGraph.close();
    } finally {
      tokenizer.close();
    }
  }
}
