package org.cleft.djl;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.cleft.api.EmbeddingClassifier;
import org.cleft.api.Embeddings;
import org.cleft.api.TextEncoder;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.FiniteCheck;
import org.cleft.api.safetensors.DType;
import org.cleft.api.spi.AbstractCleftModel;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.model.peft.AdapterHook;

/** A CLEFT checkpoint loaded on DJL. Owns one {@link NDManager} holding every parameter. */
public final class DjlCleftModel extends AbstractCleftModel {
  /**
   * {@link BackendOptions#extra()} key: {@code "true"} merges a LoRA or IA3 adapter into the text tower's
   * weights at load time (faster inference, same outputs up to float rounding; not for training); default unmerged.
   */
  public static final String MERGE_ADAPTER = "djl.merge_adapter";
  private final CleftCheckpoint checkpoint;
  private final NDManager manager;
  private final CleftNetwork network;
  private final AdapterHook<NDArray> adapter;
  private final HfTextTokenizer tokenizer;
  private final DjlImageEncoder imageEncoder;
  private final DjlTextEncoder textEncoder;
  private volatile boolean closed;

  private DjlCleftModel(CleftCheckpoint checkpoint, NDManager manager, CleftNetwork network, AdapterHook<NDArray> adapter,
      HfTextTokenizer tokenizer) {
    this.checkpoint = checkpoint;
    this.manager = manager;
    this.network = network;
    this.adapter = adapter;
    this.tokenizer = tokenizer;
    this.imageEncoder = new DjlImageEncoder(network, manager, checkpoint.imageSize());
    int maxLength = Math.min(checkpoint.maxTextLength(), network.text().positions() - adapter.prefixLength());
    this.textEncoder = new DjlTextEncoder(network, adapter, tokenizer, manager, maxLength);
  }

  /**
   * Loads a checkpoint directory.
   *
   * @param dir the checkpoint directory
   * @param options device, precision and extras ({@link #MERGE_ADAPTER})
   * @return the model, which the caller closes
   * @throws CheckpointException naming the missing or malformed file, tensor or field
   */
  public static DjlCleftModel load(Path dir, BackendOptions options) throws CheckpointException {
    return load(dir, options, true, true);
  }

  /**
   * Loads a checkpoint directory for a run that trains some of it: the towers marked frozen keep their matrices at
   * {@link BackendOptions#frozenWeights()} (float16 or float32), the others in float32.
   *
   * @param dir the checkpoint directory
   * @param options device, precision, frozen-weight storage and extras ({@link #MERGE_ADAPTER})
   * @param visionFrozen whether no parameter of the image tower trains
   * @param textFrozen whether no parameter of the text tower's base model trains (an adapter may)
   * @return the model, which the caller closes
   * @throws CheckpointException naming the missing or malformed file, tensor or field
   */
  public static DjlCleftModel load(Path dir, BackendOptions options, boolean visionFrozen, boolean textFrozen)
      throws CheckpointException {
    CleftCheckpoint ckpt = CleftCheckpoint.open(dir);
    DType frozen = DjlBackend.frozenStorage(options);
    FiniteCheck.heads(ckpt);
    NDManager manager = DjlEngine.newManager(options.device());
    HfTextTokenizer tokenizer = null;
    try {
      boolean merge = Boolean.parseBoolean(options.extra().getOrDefault(MERGE_ADAPTER, "false"));
      CleftNetwork.Loaded loaded = CleftNetwork.load(manager, ckpt, ckpt.adapter().orElse(null), merge,
          visionFrozen ? frozen : DType.F32, textFrozen ? frozen : DType.F32);
      try {
        tokenizer = TextTokenizers.fromDirectory(ckpt.textDir());
      } catch (RuntimeException e) {
        throw new CheckpointException(ckpt.textDir() + ": cannot load the tokenizer: " + e.getMessage(), e);
      }
      return new DjlCleftModel(ckpt, manager, loaded.network(), loaded.adapter(), tokenizer);
    } catch (CheckpointException | RuntimeException e) {
      manager.close();
      if (tokenizer != null) {
        tokenizer.close();
      }
      throw e;
    }
  }

  /**
   * {@return native arrays currently held by this model's manager (its parameters when idle); for diagnostics
   * and the flat-memory tests}
   */
  public int liveArrays() {
    return ((BaseNDManager) manager).getManagedArrays().size();
  }

  /** {@return the DJL network (towers and heads), for trainers and exporters in this backend} */
  public CleftNetwork network() {
    return network;
  }

  /** {@return the manager that owns the parameters, for trainers in this backend (do not close it)} */
  public NDManager manager() {
    return manager;
  }

  @Override
  public String backendName() {
    return DjlBackendProvider.NAME;
  }

  @Override
  public CleftCheckpoint source() {
    return checkpoint;
  }

  /**
   * {@return the text adapter named by the checkpoint as a hook; {@link AdapterHook#none()} (no parameters) when there
   * is none or it was merged into the weights ({@link #MERGE_ADAPTER}; prefix tuning is never merged)}
   */
  public AdapterHook<NDArray> adapter() {
    return adapter;
  }

  @Override
  public DjlImageEncoder imageEncoder() {
    return imageEncoder;
  }

  @Override
  public TextEncoder textEncoder() {
    return textEncoder;
  }

  @Override
  public float logitScale() {
    return network.logitScale();
  }

  @Override
  public ZeroShotClassifier classifier(List<String> classNames, Embeddings classes) {
    return new EmbeddingClassifier(DjlBackendProvider.NAME, classNames, classes, logitScale(), imageEncoder);
  }

  @Override
  protected void closeEngine() {
    if (closed) {
      return;
    }
    closed = true;
    manager.close();
    tokenizer.close();
  }
}
