package org.cleft.tf;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageEncoder;
import org.cleft.api.TextEncoder;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.model.CleftTowers;
import org.cleft.model.TextFamily;
import org.cleft.model.VisionFamily;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.peft.PeftAdapter;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A trainer's encoders: inference graphs (no dropout, the adapter kept apart) over the same tensors the trainer feeds
 * its step with, so that they see the current weights once the trainer synchronised them. Image encoders are built
 * per input size, when first asked for.
 */
final class TfEvaluation {
  private final CleftCheckpoint base;
  private final VisionFamily vf;
  private final TfTensors vision;
  private final TfTensors heads;
  private final List<TfGraph> owned;
  private final int dim;
  private final Map<Integer, TfImageEncoder> images = new HashMap<>();
  private final TfTextEncoder text;

  TfEvaluation(TfParts parts, List<TfGraph> owned) {
    this.base = parts.base;
    this.vf = parts.vf;
    this.vision = parts.vision;
    this.heads = parts.heads;
    this.owned = owned;
    TextFamily tfam = parts.tfam;
    TfTensors textTensors = parts.text;
    TfTensors adapterTensors = parts.adapterTensors;
    PeftAdapter peft = parts.peft;
    HfTextTokenizer tokenizer = parts.tokenizer;
    try {
      TextConfig tc = base.textConfig();
      dim = (int) heads.shape("image_projection.weight")[0];
      TfGraph tg = new TfGraph();
      owned.add(tg);
      AdapterHook<Operand<?>> hook = peft == null ? AdapterHook.none()
          : peft.unmerged(new TfWeights(tg, adapterTensors, TfCleftModel.ADAPTER));
      CleftTowers.Text<Operand<?>> textSide = new CleftTowers.Text<>(
          tfam.tower(tc, new TfWeights(tg, textTensors, TfCleftModel.TEXT)), new TfWeights(tg, heads, ""));
      Operand<TInt64> ids = tg.tf().placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<TInt64> mask = tg.tf().placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<?> textEmbeds = textSide.encode(TfOps.inference(tg.tf()), ids, mask, hook).embeds();
      tg.start();
      int maxLength = Math.min(base.maxTextLength(), tc.maxPositions() - hook.prefixLength());
      text = new TfTextEncoder(tg, ids, mask, textEmbeds, tokenizer, maxLength, tc.vocabSize(), dim);
    } catch (CheckpointException e) {
      throw new IllegalStateException("tf: cannot build the evaluation graphs: " + e.getMessage(), e);
    }
  }

  /** {@return the image encoder at {@code size} x {@code size} pixels} */
  synchronized ImageEncoder imageEncoder(int size) {
    TfImageEncoder e = images.get(size);
    if (e != null) {
      return e;
    }
    try {
      VisionConfig vc = base.visionConfig();
      TfGraph ig = new TfGraph();
      owned.add(ig);
      CleftTowers.Image<Operand<?>> imageSide = new CleftTowers.Image<>(
          vf.tower(vc, new TfWeights(ig, vision, TfCleftModel.VISION)), new TfWeights(ig, heads, ""));
      imageSide.tower().checkInput(vc.numChannels(), size, size);
      Operand<TFloat32> pixels = ig.tf().placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, vc.numChannels(), size, size)));
      Operand<?> imageEmbeds = imageSide.encode(TfOps.inference(ig.tf()), pixels, size, size).embeds();
      ig.start();
      e = new TfImageEncoder(ig, pixels, imageEmbeds, vc.numChannels(), size, dim);
      images.put(size, e);
      return e;
    } catch (CheckpointException ex) {
      throw new IllegalStateException("tf: cannot build the image graph at " + size + " px: " + ex.getMessage(), ex);
    }
  }

  /** {@return an image encoder for square images of any size (a graph per size), as trainers evaluate} */
  ImageEncoder anySize() {
    return new ImageEncoder() {
      @Override
      public int inputSize() {
        return 0;
      }

      @Override
      public Embeddings encode(ImageBatch batch) {
        if (batch.height() != batch.width()) {
          throw new IllegalArgumentException("tf: evaluation takes square images, got " + batch.height() + "x"
              + batch.width());
        }
        return imageEncoder(batch.height()).encode(batch);
      }

      @Override
      public int embeddingDim() {
        return dim;
      }

      @Override
      public void close() {}
    };
  }

  TextEncoder textEncoder() {
    return text;
  }
}
