package org.cleft.model.peft;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.Ia3Config;
import org.cleft.api.checkpoint.LoraConfig;
import org.cleft.api.checkpoint.PrefixTuningConfig;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.model.Weights;

/**
 * A peft adapter folder read and checked against the tower it adapts, before any engine loads a value: which modules
 * it wraps, with which tensors and shapes. It then runs in one of two ways (one hook, two policies):
 * {@link #unmerged} (training, and inference that keeps the adapter apart) or {@link #mergedInto} the tower's weights
 * followed by {@link #afterMerge} (deployment: LoRA's delta added to the weights, IA3's vectors folded into them;
 * prefix tuning stays a hook, as its keys and values cannot be merged).
 */
public abstract sealed class PeftAdapter permits LoraAdapter, Ia3Adapter, PrefixAdapter {
  /** peft's prefix of a saved tensor name. */
  static final String PEFT_PREFIX = "base_model.model.";

  /** How a merged adapter ends up in a deployed model. */
  public enum Deployment {
    /** LoRA deltas added to the base weights. */
    MERGED,
    /** IA3 vectors multiplied into the base weights. */
    FOLDED,
    /** Prefix keys and values kept as tensors of the model. */
    IN_GRAPH;

    /** {@return the lower-case name with dashes ({@code in-graph}), as export manifests write it} */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final Path folder;
  private final Path file;

  PeftAdapter(Path folder, Path file) {
    this.folder = folder;
    this.file = file;
  }

  /**
   * Reads an adapter's tensor names and shapes and checks them against the tower.
   *
   * @param adapter the adapter folder ({@code adapter_config.json} read)
   * @param tower the tower it adapts
   * @param tensors the adapter's {@code adapter_model.safetensors}
   * @return the adapter
   * @throws CheckpointException naming the adapter file and tensor (or config field) that does not fit the tower
   */
  public static PeftAdapter read(CleftCheckpoint.Adapter adapter, AdaptableTower tower, TensorSource tensors)
      throws CheckpointException {
    try {
      if (adapter.config() instanceof LoraConfig c) {
        return LoraAdapter.read(adapter.directory(), c, tower, tensors);
      } else if (adapter.config() instanceof Ia3Config c) {
        return Ia3Adapter.read(adapter.directory(), c, tower, tensors);
      }
      return PrefixAdapter.read(adapter.directory(), (PrefixTuningConfig) adapter.config(), tower, tensors);
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** {@return the peft type: {@code LORA}, {@code IA3} or {@code PREFIX_TUNING}} */
  public abstract String peftType();

  /** {@return how {@link #mergedInto} and {@link #afterMerge} carry the adapter} */
  public abstract Deployment deployment();

  /** {@return the adapter folder} */
  public Path folder() {
    return folder;
  }

  /** {@return number of virtual tokens in front of the keys and values (prefix tuning), else 0} */
  public int prefixLength() {
    return 0;
  }

  /**
   * {@return the adapter as a hook around the tower's modules, its tensors loaded by the engine}
   *
   * @param <T> the engine's tensor handle
   * @param adapterWeights the engine's view of the adapter file
   * @throws CheckpointException naming the file and tensor when one is missing or misshapen
   */
  public abstract <T> AdapterHook<T> unmerged(Weights<T> adapterWeights) throws CheckpointException;

  /**
   * {@return the tower's weights with this adapter merged in: the engine gets each wrapped layer's weight (and bias)
   * already changed; unchanged for prefix tuning}
   *
   * @param <T> the engine's tensor handle
   * @param towerWeights the tower's weights
   * @param adapterValues the adapter file, read when a changed layer is loaded: keep it open until then
   */
  public <T> Weights<T> mergedInto(Weights<T> towerWeights, TensorSource adapterValues) {
    return towerWeights;
  }

  /**
   * {@return what remains a hook once {@link #mergedInto} was applied: nothing, or prefix tuning's keys and values}
   *
   * @param <T> the engine's tensor handle
   * @param adapterWeights the engine's view of the adapter file
   * @throws CheckpointException naming the file and tensor when one is missing or misshapen
   */
  public <T> AdapterHook<T> afterMerge(Weights<T> adapterWeights) throws CheckpointException {
    return AdapterHook.none();
  }

  /**
   * The module a saved tensor belongs to, without peft's {@code base_model.model.} and the tower's wrapper prefix,
   * or null when the name does not end with {@code suffix}.
   */
  static String module(String savedName, String suffix, AdaptableTower tower) {
    if (!savedName.endsWith(suffix)) {
      return null;
    }
    String m = savedName.substring(0, savedName.length() - suffix.length());
    m = m.startsWith(PEFT_PREFIX) ? m.substring(PEFT_PREFIX.length()) : m;
    return m.startsWith(tower.wrapperPrefix()) ? m.substring(tower.wrapperPrefix().length()) : m;
  }

  /** The name peft gives a module's tensor at run time (the adapter is called {@code default}). */
  static String runtimeName(String module, String kind, boolean weightSuffix) {
    return PEFT_PREFIX + module + "." + kind + ".default" + (weightSuffix ? ".weight" : "");
  }

  /** The tower's module a tensor targets, or a message naming both. */
  static AdaptableModule known(Path file, AdaptableTower tower, String module, String tensor)
      throws CheckpointException {
    AdaptableModule m = tower.linearModules().get(module);
    if (m == null) {
      throw new CheckpointException(file + ": tensor '" + tensor + "' targets module '" + module + "', which this "
          + tower.family() + " does not have (its modules are named like "
          + tower.linearModules().keySet().stream().limit(4).toList() + ")");
    }
    return m;
  }

  /** Checks a tensor's shape in the adapter file. */
  static void checkShape(Path file, TensorSource tensors, String name, long... shape)
      throws CheckpointException, SafetensorsException {
    if (!tensors.contains(name)) {
      throw new CheckpointException(file + ": tensor '" + name + "' is missing (expected shape "
          + Arrays.toString(shape) + ")");
    }
    long[] actual = tensors.info(name).shape();
    if (!Arrays.equals(actual, shape)) {
      throw new CheckpointException(file + ": tensor '" + name + "' has shape " + Arrays.toString(actual)
          + ", expected " + Arrays.toString(shape));
    }
  }

  /** The adapter's weights file, for messages. */
  Path file() {
    return file;
  }

  /** The adapter's {@code adapter_config.json}, for messages. */
  Path configFile() {
    return folder.resolve("adapter_config.json");
  }
}
