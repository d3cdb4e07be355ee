package org.cleft.tf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cleft.api.EmbeddingClassifier;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageEncoder;
import org.cleft.api.TextEncoder;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.FiniteCheck;
import org.cleft.api.checkpoint.MemoryBudget;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.spi.AbstractCleftModel;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.model.CleftTowers;
import org.cleft.model.TextFamily;
import org.cleft.model.TowerFamilies;
import org.cleft.model.VisionFamily;
import org.cleft.model.Weights;
import org.cleft.model.heads.ClipProjections;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.peft.PeftAdapter;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A CLEFT checkpoint on TensorFlow: the model module's image and text encoders built once each into a graph (the
 * image graph at the checkpoint's input size), the weights as tensors fed to their placeholders, a LoRA or IA3 adapter
 * merged into them and a prefix kept in the graph, as the ONNX export does. Owns its graphs, sessions and tensors.
 */
public final class TfCleftModel extends AbstractCleftModel {
  /** The prefix of the image tower's weights in a graph (the fixture's and the trainers' names). */
  static final String VISION = "vision.";
  /** The prefix of the text tower's weights. */
  static final String TEXT = "text.";
  /** The prefix of an adapter's saved tensors (trainers name adapter parameters by peft's runtime names). */
  static final String ADAPTER = "adapter.";
  private final CleftCheckpoint checkpoint;
  private final List<AutoCloseable> owned;
  private final HfTextTokenizer tokenizer;
  private final TfImageEncoder imageEncoder;
  private final TfTextEncoder textEncoder;
  private final float logitScale;
  private volatile boolean closed;

  private TfCleftModel(CleftCheckpoint checkpoint, List<AutoCloseable> owned, HfTextTokenizer tokenizer,
      TfImageEncoder imageEncoder, TfTextEncoder textEncoder, float logitScale) {
    this.checkpoint = checkpoint;
    this.owned = owned;
    this.tokenizer = tokenizer;
    this.imageEncoder = imageEncoder;
    this.textEncoder = textEncoder;
    this.logitScale = logitScale;
  }

  /**
   * Loads a checkpoint directory.
   *
   * @param dir the checkpoint directory
   * @return the model, which the caller closes
   * @throws CheckpointException naming the missing or malformed file, tensor or field
   */
  public static TfCleftModel load(Path dir) throws CheckpointException {
    CleftCheckpoint ckpt = CleftCheckpoint.open(dir);
    FiniteCheck.heads(ckpt);
    VisionConfig vc = ckpt.visionConfig();
    TextConfig tc = ckpt.textConfig();
    VisionFamily vf = family(() -> TowerFamilies.vision(vc), ckpt);
    TextFamily tf = family(() -> TowerFamilies.text(tc), ckpt);
    List<AutoCloseable> owned = new ArrayList<>();
    HfTextTokenizer tokenizer = null;
    try {
      TfTensors vision = own(owned, new TfTensors(Safetensors.openModel(ckpt.visionDir()), vf.wrapperPrefix()));
      TfTensors text = own(owned, new TfTensors(Safetensors.openModel(ckpt.textDir()), tf.wrapperPrefix()));
      TfTensors heads = own(owned, new TfTensors(SafetensorsFile.open(ckpt.headsFile()), null));
      CleftCheckpoint.Adapter adapter = ckpt.adapter().orElse(null);
      TfTensors adapterTensors = adapter == null ? null
          : own(owned, new TfTensors(SafetensorsFile.open(adapter.weights()), null));
      int size = ckpt.imageSize();
      long values = vision.values(vf::isWeight) + text.values(tf::isWeight) + heads.values(n -> true)
          + (adapterTensors == null ? 0 : adapterTensors.values(n -> true));
      long needed = values * Float.BYTES;
      MemoryBudget.system().require(needed, "loading " + ckpt.directory() + " on tf",
          "free memory, use a larger machine, or load it on djl with frozen weights in float16 (--frozen-dtype fp16)");

      TfGraph image = own(owned, new TfGraph());
      CleftTowers.Image<Operand<?>> imageSide = new CleftTowers.Image<>(
          vf.tower(vc, new TfWeights(image, vision, VISION)),
          new TfWeights(image, heads, ""));
      try {
        imageSide.tower().checkInput(vc.numChannels(), size, size);
      } catch (IllegalArgumentException e) {
        throw new CheckpointException(ckpt.directory() + ": input size: " + e.getMessage(), e);
      }
      Operand<TFloat32> pixels = image.tf().placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, vc.numChannels(), size, size)));
      Operand<?> imageEmbeds = imageSide.encode(TfOps.inference(image.tf()), pixels, size, size).embeds();
      image.start();

      TfGraph textGraph = own(owned, new TfGraph());
      Weights<Operand<?>> textWeights = new TfWeights(textGraph, text, TEXT);
      AdapterHook<Operand<?>> hook = AdapterHook.none();
      if (adapter != null) {
        PeftAdapter peft = PeftAdapter.read(adapter, tf.adaptable(tc), adapterTensors.source());
        textWeights = peft.mergedInto(textWeights, adapterTensors.source());
        hook = peft.afterMerge(new TfWeights(textGraph, adapterTensors, ADAPTER));
      }
      CleftTowers.Text<Operand<?>> textSide = new CleftTowers.Text<>(tf.tower(tc, textWeights),
          new TfWeights(textGraph, heads, ""));
      Operand<TInt64> ids = textGraph.tf().placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<TInt64> mask = textGraph.tf().placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<?> textEmbeds = textSide.encode(TfOps.inference(textGraph.tf()), ids, mask, hook).embeds();
      textGraph.start();

      float logitScale;
      int dim;
      try (SafetensorsFile f = SafetensorsFile.open(ckpt.headsFile())) {
        logitScale = f.floats(ClipProjections.LOGIT_SCALE)[0];
        dim = (int) f.info(ClipProjections.IMAGE + ".weight").shape()[0];
      }
      for (TfTensors t : new TfTensors[] {vision, text, heads, adapterTensors}) {
        if (t != null) {
          t.closeSource();
        }
      }
      try {
        tokenizer = TextTokenizers.fromDirectory(ckpt.textDir());
      } catch (RuntimeException e) {
        throw new CheckpointException(ckpt.textDir() + ": cannot load the tokenizer: " + e.getMessage(), e);
      }
      int maxLength = Math.min(ckpt.maxTextLength(), tc.maxPositions() - hook.prefixLength());
      TfImageEncoder imageEncoder = new TfImageEncoder(image, pixels, imageEmbeds, vc.numChannels(), size, dim);
      TfTextEncoder textEncoder = new TfTextEncoder(textGraph, ids, mask, textEmbeds, tokenizer, maxLength,
          tc.vocabSize(), dim);
      return new TfCleftModel(ckpt, owned, tokenizer, imageEncoder, textEncoder, logitScale);
    } catch (CheckpointException | RuntimeException e) {
      closeAll(owned);
      if (tokenizer != null) {
        tokenizer.close();
      }
      throw e;
    } catch (SafetensorsException e) {
      closeAll(owned);
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  private static <T extends AutoCloseable> T own(List<AutoCloseable> owned, T resource) {
    owned.add(resource);
    return resource;
  }

  private static <F> F family(Supplier<F> lookup, CleftCheckpoint ckpt) throws CheckpointException {
    try {
      return lookup.get();
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(ckpt.directory() + ": " + e.getMessage(), e);
    }
  }

  private static void closeAll(List<AutoCloseable> owned) {
    // graphs first (their sessions read the tensors), then the tensors
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception ignored) {
        // closing native resources after a failure: the first failure is the one reported
      }
    }
  }

  /**
   * {@return the native objects this model holds now: its weight tensors and the values of calls still open (the
   * same number between calls when nothing leaks); for diagnostics and the flat-memory tests}
   */
  public long nativeObjects() {
    long n = imageEncoder.liveValues() + textEncoder.liveValues();
    for (AutoCloseable c : owned) {
      if (c instanceof TfTensors t) {
        n += t.count();
      }
    }
    return n;
  }

  @Override
  public String backendName() {
    return TfBackendProvider.NAME;
  }

  @Override
  public CleftCheckpoint source() {
    return checkpoint;
  }

  @Override
  public ImageEncoder imageEncoder() {
    return imageEncoder;
  }

  @Override
  public TextEncoder textEncoder() {
    return textEncoder;
  }

  @Override
  public float logitScale() {
    return logitScale;
  }

  @Override
  public ZeroShotClassifier classifier(List<String> classNames, Embeddings classes) {
    return new EmbeddingClassifier(TfBackendProvider.NAME, classNames, classes, logitScale, imageEncoder);
  }

  @Override
  protected synchronized void closeEngine() {
    if (closed) {
      return;
    }
    closed = true;
    closeAll(owned);
    tokenizer.close();
  }
}
