package org.cleft.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.function.Supplier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.MemoryBudget;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.api.safetensors.DType;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.djl.nn.DjlOps;
import org.cleft.djl.nn.Parameters;
import org.cleft.model.CleftTowers;
import org.cleft.model.TextFamily;
import org.cleft.model.TextTower;
import org.cleft.model.TowerFamilies;
import org.cleft.model.VisionFamily;
import org.cleft.model.VisionTower;
import org.cleft.model.Weights;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.peft.PeftAdapter;

/**
 * The CLEFT model of {@code cleft-model} ({@link CleftTowers}) on DJL arrays: the towers and heads over parameters
 * loaded on one manager, run eagerly by {@link DjlOps}, in training mode (dropout on) or not.
 */
public final class CleftNetwork {
  private final CleftTowers<NDArray> towers;
  private final VisionFamily visionFamily;
  private final VisionTower<NDArray> vision;
  private final TextTower<NDArray> text;
  private final Parameters visionParameters;
  private final Parameters textParameters;
  private final Parameters headParameters;
  private volatile boolean training;

  private CleftNetwork(VisionFamily visionFamily, VisionTower<NDArray> vision, TextTower<NDArray> text,
      Parameters visionParameters, Parameters textParameters, Parameters heads) throws CheckpointException {
    this.towers = new CleftTowers<>(vision, text, heads);
    this.visionFamily = visionFamily;
    this.vision = vision;
    this.text = text;
    this.visionParameters = visionParameters;
    this.textParameters = textParameters;
    this.headParameters = heads;
  }

  /**
   * The network and the text adapter of a checkpoint.
   *
   * @param network the towers and heads
   * @param adapter the adapter's hook ({@link AdapterHook#none()} when there is none or it was merged)
   */
  public record Loaded(CleftNetwork network, AdapterHook<NDArray> adapter) {}

  /**
   * Loads a checkpoint's towers, heads and adapter, checking every tensor.
   *
   * @param manager owns the loaded arrays
   * @param ckpt the checkpoint
   * @param adapter the adapter folder to use, or null for none
   * @param merge merge a LoRA or IA3 adapter into the text tower's weights (inference only) rather than keep it apart
   * @return the network and the adapter
   * @throws CheckpointException naming the file and tensor, or the config field, that does not fit
   */
  public static Loaded load(NDManager manager, CleftCheckpoint ckpt, CleftCheckpoint.Adapter adapter, boolean merge)
      throws CheckpointException {
    return load(manager, ckpt, adapter, merge, DType.F32, DType.F32);
  }

  /**
   * Loads a checkpoint's towers, heads and adapter, checking every tensor, with each tower's matrices stored as
   * given ({@code F16} for frozen weights in half precision; the heads and adapter stay float32).
   *
   * @param manager owns the loaded arrays
   * @param ckpt the checkpoint
   * @param adapter the adapter folder to use, or null for none
   * @param merge merge a LoRA or IA3 adapter into the text tower's weights (inference only) rather than keep it apart
   * @param visionMatrices storage of the image tower's matrices: {@code F32} or {@code F16}
   * @param textMatrices storage of the text tower's matrices: {@code F32} or {@code F16}
   * @return the network and the adapter
   * @throws CheckpointException naming the file and tensor, or the config field, that does not fit
   */
  public static Loaded load(NDManager manager, CleftCheckpoint ckpt, CleftCheckpoint.Adapter adapter, boolean merge,
      DType visionMatrices, DType textMatrices) throws CheckpointException {
    VisionConfig vc = ckpt.visionConfig();
    TextConfig tc = ckpt.textConfig();
    VisionFamily vf = family(() -> TowerFamilies.vision(vc), ckpt);
    TextFamily tf = family(() -> TowerFamilies.text(tc), ckpt);
    try (TensorSource v = Safetensors.openModel(ckpt.visionDir());
        TensorSource t = Safetensors.openModel(ckpt.textDir());
        SafetensorsFile h = SafetensorsFile.open(ckpt.headsFile());
        SafetensorsFile a = adapter == null ? null : SafetensorsFile.open(adapter.weights())) {
      long needed = MemoryBudget.weightBytes(v, vf::isWeight, visionMatrices)
          + MemoryBudget.weightBytes(t, tf::isWeight, textMatrices) + MemoryBudget.weightBytes(h, n -> true, DType.F32)
          + (a == null ? 0 : MemoryBudget.weightBytes(a, n -> true, DType.F32));
      MemoryBudget.system().require(needed, "loading " + ckpt.directory() + " on djl",
          textMatrices == DType.F16 ? "free memory or use a larger machine"
              : "free memory, use a larger machine, or keep frozen weights in float16 (--frozen-dtype fp16; "
                  + "BackendOptions.withFrozenWeights(Precision.FP16)), which halves the towers' matrices");
      Parameters vp = Parameters.load(manager, v, vf::isWeight, vf.wrapperPrefix(), visionMatrices);
      Parameters tp = Parameters.load(manager, t, tf::isWeight, tf.wrapperPrefix(), textMatrices);
      Parameters hp = Parameters.load(manager, h, n -> true, null);
      PeftAdapter peft = a == null ? null : PeftAdapter.read(adapter, tf.adaptable(tc), a);
      Parameters ap = a == null ? null : Parameters.load(manager, a, n -> true, null);
      Weights<NDArray> textWeights = peft != null && merge ? peft.mergedInto(tp, a) : tp;
      CleftNetwork net = new CleftNetwork(vf, vf.tower(vc, vp), tf.tower(tc, textWeights), vp, tp, hp);
      AdapterHook<NDArray> hook = peft == null ? AdapterHook.none() : merge ? peft.afterMerge(ap) : peft.unmerged(ap);
      return new Loaded(net, hook);
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** A family lookup whose failure names the checkpoint. */
  private static <F> F family(Supplier<F> lookup, CleftCheckpoint ckpt) throws CheckpointException {
    try {
      return lookup.get();
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(ckpt.directory() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads an adapter, unmerged, for a checkpoint's text tower (fixtures hold several beside one tower).
   *
   * @param manager owns the loaded arrays
   * @param ckpt the checkpoint whose text tower it adapts
   * @param adapter the adapter folder
   * @return the adapter's hook
   * @throws CheckpointException naming the adapter file and tensor (or config field) that does not fit the tower
   */
  public static AdapterHook<NDArray> loadAdapter(NDManager manager, CleftCheckpoint ckpt,
      CleftCheckpoint.Adapter adapter) throws CheckpointException {
    try (SafetensorsFile a = SafetensorsFile.open(adapter.weights())) {
      TextConfig tc = ckpt.textConfig();
      PeftAdapter peft = PeftAdapter.read(adapter, family(() -> TowerFamilies.text(tc), ckpt).adaptable(tc), a);
      return peft.unmerged(Parameters.load(manager, a, n -> true, null));
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** {@return the image tower} */
  public VisionTower<NDArray> vision() {
    return vision;
  }

  /** {@return the image tower's family (which parameters train, which block they belong to)} */
  public VisionFamily visionFamily() {
    return visionFamily;
  }

  /** {@return the text tower} */
  public TextTower<NDArray> text() {
    return text;
  }

  /** {@return the image tower's parameters under their HF names} */
  public Map<String, NDArray> visionParameters() {
    return visionParameters.asMap();
  }

  /** {@return the text tower's parameters under their HF names (as loaded: an adapter merged for inference is not in them)} */
  public Map<String, NDArray> textParameters() {
    return textParameters.asMap();
  }

  /** {@return the heads' parameters under their checkpoint names} */
  public Map<String, NDArray> headParameters() {
    return headParameters.asMap();
  }

  /** {@return the width of the shared embedding space} */
  public int embeddingDim() {
    return (int) headParameters.asMap().get("image_projection.weight").getShape().get(0);
  }

  /** {@return the {@code logit_scale} parameter (one value)} */
  public NDArray logitScaleArray() {
    return towers.logitScale();
  }

  /** {@return the current value of {@code logit_scale}} */
  public float logitScale() {
    return towers.logitScale().toFloatArray()[0];
  }

  /**
   * Switches dropout (GPT-2's {@code embd_pdrop}, {@code attn_pdrop}, {@code resid_pdrop} and LoRA's, as
   * {@code model.train()} does in PyTorch) on for training or off for inference (the default).
   *
   * @param on whether the network trains
   */
  public void setTraining(boolean on) {
    training = on;
  }

  /** {@return the ops of the current mode} */
  public DjlOps ops() {
    return DjlOps.of(training);
  }

  /**
   * {@return the image side for pixels [batch, channels, height, width]}
   *
   * @param pixels the preprocessed images
   * @throws IllegalArgumentException for a channel count or size the tower does not take
   */
  public CleftTowers.ImageFeatures<NDArray> encodeImages(NDArray pixels) {
    long[] s = pixels.getShape().getShape();
    if (s.length != 4) {
      throw new IllegalArgumentException("pixel_values must be [batch, channels, height, width], got shape "
          + pixels.getShape());
    }
    vision.checkInput(s[1], s[2], s[3]);
    return towers.image().encode(ops(), pixels, (int) s[2], (int) s[3]);
  }

  /**
   * {@return the text side for token ids [batch, seq] with their attention mask}
   *
   * @param ids the token ids
   * @param mask the attention mask, 1 for real tokens
   * @param adapter the text adapter ({@link AdapterHook#none()} for none)
   */
  public CleftTowers.TextFeatures<NDArray> encodeTexts(NDArray ids, NDArray mask, AdapterHook<NDArray> adapter) {
    return towers.text().encode(ops(), ids, mask, adapter);
  }

  /**
   * {@return the text side for token embeddings [batch, seq, width] (prompt tuning prepends learned vectors)}
   *
   * @param embeds the token embeddings
   * @param mask the attention mask, 1 for real positions
   * @param adapter the text adapter ({@link AdapterHook#none()} for none)
   */
  public CleftTowers.TextFeatures<NDArray> encodeEmbedded(NDArray embeds, NDArray mask,
      AdapterHook<NDArray> adapter) {
    return towers.text().encodeEmbedded(ops(), embeds, mask, adapter);
  }

  /**
   * {@return token embeddings for ids}
   *
   * @param ids token ids, int64
   */
  public NDArray embed(NDArray ids) {
    return text.embed(ops(), ids);
  }

  /**
   * {@code exp(logit_scale) * image @ text^T}.
   *
   * @param imageEmbeds normalised image embeddings [images, dim]
   * @param textEmbeds normalised text embeddings [texts, dim]
   * @return the logits [images, texts]
   */
  public NDArray logits(NDArray imageEmbeds, NDArray textEmbeds) {
    return towers.logits(ops(), imageEmbeds, textEmbeds);
  }

  /**
   * {@return the symmetric contrastive loss {@code CE(logits, arange) + CE(logits^T, arange)}}
   *
   * @param logits the logits [batch, batch], matching pairs on the diagonal
   */
  public static NDArray contrastiveLoss(NDArray logits) {
    long n = logits.getShape().get(0);
    NDManager m = logits.getManager();
    NDArray target = m.arange(0, n, 1, DataType.INT64).reshape(n, 1);
    NDArray rows = logits.logSoftmax(1).gather(target, 1).mean().neg();
    NDArray cols = logits.transpose().logSoftmax(1).gather(target, 1).mean().neg();
    return rows.add(cols);
  }
}
