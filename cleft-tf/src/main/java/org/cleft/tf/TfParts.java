package org.cleft.tf;

import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.model.CleftTowers;
import org.cleft.model.TextFamily;
import org.cleft.model.TowerFamilies;
import org.cleft.model.VisionFamily;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.peft.PeftAdapter;
import org.tensorflow.Operand;

/**
 * A checkpoint's parts as a TensorFlow trainer holds them for its whole run: the towers' families, each part's
 * tensors (shared by every graph the trainer builds, so that all see the values it feeds), the adapter read against
 * the text tower, and the tokenizer. Closing it closes the tensors and the tokenizer.
 */
final class TfParts implements AutoCloseable {
  final CleftCheckpoint base;
  final VisionFamily vf;
  final TextFamily tfam;
  final TfTensors vision;
  final TfTensors text;
  final TfTensors heads;
  final TfTensors adapterTensors;
  final PeftAdapter peft;
  final HfTextTokenizer tokenizer;

  private TfParts(CleftCheckpoint base) throws CheckpointException {
    this.base = base;
    this.vf = TowerFamilies.vision(base.visionConfig());
    this.tfam = TowerFamilies.text(base.textConfig());
    try {
      vision = new TfTensors(Safetensors.openModel(base.visionDir()), vf.wrapperPrefix());
      text = new TfTensors(Safetensors.openModel(base.textDir()), tfam.wrapperPrefix());
      heads = new TfTensors(SafetensorsFile.open(base.headsFile()), null);
      CleftCheckpoint.Adapter adapter = base.adapter().orElse(null);
      adapterTensors = adapter == null ? null : new TfTensors(SafetensorsFile.open(adapter.weights()), null);
      peft = adapter == null ? null
          : PeftAdapter.read(adapter, tfam.adaptable(base.textConfig()), adapterTensors.source());
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    try {
      tokenizer = TextTokenizers.fromDirectory(base.textDir());
    } catch (RuntimeException e) {
      throw new CheckpointException(base.textDir() + ": cannot load the tokenizer: " + e.getMessage(), e);
    }
  }

  /** {@return the parts of a checkpoint} */
  static TfParts open(CleftCheckpoint base) throws CheckpointException {
    return new TfParts(base);
  }

  /**
   * {@return the number of values of the towers and heads, and of the adapter when asked (the model's size, for
   * reports)}
   *
   * @param withAdapter whether to count the adapter
   */
  long values(boolean withAdapter) {
    try {
      return vision.values(vf::isWeight) + text.values(tfam::isWeight) + heads.values(n -> true)
          + (withAdapter && adapterTensors != null ? adapterTensors.values(n -> true) : 0);
    } catch (SafetensorsException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * {@return the model module's towers and heads in {@code g}, over these parts' tensors}
   *
   * @throws CheckpointException naming the file and tensor that does not fit
   */
  CleftTowers<Operand<?>> towers(TfGraph g) throws CheckpointException {
    return new CleftTowers<>(vf.tower(base.visionConfig(), new TfWeights(g, vision, TfCleftModel.VISION)),
        tfam.tower(base.textConfig(), new TfWeights(g, text, TfCleftModel.TEXT)), new TfWeights(g, heads, ""));
  }

  /**
   * {@return the adapter in {@code g}, kept apart from the weights (a trainer's), or none}
   *
   * @throws CheckpointException naming the file and tensor that does not fit
   */
  AdapterHook<Operand<?>> unmergedAdapter(TfGraph g) throws CheckpointException {
    return peft == null ? AdapterHook.none() : peft.unmerged(new TfWeights(g, adapterTensors, TfCleftModel.ADAPTER));
  }

  /** {@return the tensors held (for the flat-memory counts)} */
  long tensorCount() {
    long n = 0;
    for (TfTensors t : new TfTensors[] {vision, text, heads, adapterTensors}) {
      n += t == null ? 0 : t.count();
    }
    return n;
  }

  @Override
  public void close() {
    for (TfTensors t : new TfTensors[] {vision, text, heads, adapterTensors}) {
      if (t != null) {
        t.close();
      }
    }
    tokenizer.close();
  }
}
