package org.cleft.onnx.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.model.CleftTowers;
import org.cleft.model.TowerFamilies;
import org.cleft.model.VisionTower;
import org.cleft.model.Weights;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.peft.PeftAdapter;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The two encoder graphs, each the model module's encoder ({@link CleftTowers.Image}, {@link CleftTowers.Text}) run
 * once over {@link OnnxOps}: every op becomes nodes, every tensor an initializer.
 */
final class EncoderGraphs {
  private EncoderGraphs() {}

  /**
   * Builds {@code pixel_values [B, C, size, size] -> embeds [B, E]}: the image tower at one input size (its
   * position embeddings interpolated in the graph, which ONNX Runtime folds into a constant), mean pooling,
   * {@code image_projection}, L2 normalisation.
   *
   * @throws CheckpointException naming the file and tensor (or config field) that does not fit
   */
  static GraphBuilder image(VisionConfig c, CheckpointTensors vision, CheckpointTensors heads, int size, int opset)
      throws CheckpointException {
    GraphBuilder g = new GraphBuilder("cleft_image_encoder", opset);
    VisionTower<ONNXRef<?>> tower = TowerFamilies.vision(c).tower(c, new GraphWeights(g, vision));
    try {
      tower.checkInput(c.numChannels(), size, size);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(vision.path() + ": " + e.getMessage(), e);
    }
    CleftTowers.Image<ONNXRef<?>> image = new CleftTowers.Image<>(tower, new GraphWeights(g, heads));
    ONNXRef<?> pixels = g.input("pixel_values", DataType.FLOAT, "batch", c.numChannels(), size, size);
    g.output("embeds", image.encode(new OnnxOps(g, ""), pixels, size, size).embeds(), "batch", Heads.dim(heads));
    return g;
  }

  /**
   * Builds {@code input_ids [B, S], attention_mask [B, S] -> embeds [B, E]}: the text tower on right-padded input
   * (LoRA and IA3 merged into its weights, a prefix kept as learned keys and values), the last real token's state,
   * {@code text_projection}, L2 normalisation.
   *
   * @param adapter the adapter, or null
   * @param adapterTensors its file (read when the model is written), or null
   * @throws CheckpointException naming the file and tensor (or config field) that does not fit
   */
  static GraphBuilder text(TextConfig c, CheckpointTensors text, PeftAdapter adapter, CheckpointTensors adapterTensors,
      CheckpointTensors heads, int opset) throws CheckpointException {
    GraphBuilder g = new GraphBuilder("cleft_text_encoder", opset);
    Weights<ONNXRef<?>> weights = new GraphWeights(g, text);
    AdapterHook<ONNXRef<?>> hook = AdapterHook.none();
    if (adapter != null) {
      weights = adapter.mergedInto(weights, adapterTensors.source());
      hook = adapter.afterMerge(new GraphWeights(g, adapterTensors));
    }
    CleftTowers.Text<ONNXRef<?>> encoder = new CleftTowers.Text<>(TowerFamilies.text(c).tower(c, weights),
        new GraphWeights(g, heads));
    ONNXRef<?> ids = g.input("input_ids", DataType.INT64, "batch", "sequence");
    ONNXRef<?> mask = g.input("attention_mask", DataType.INT64, "batch", "sequence");
    g.output("embeds", encoder.encode(new OnnxOps(g, ""), ids, mask, hook).embeds(), "batch", Heads.dim(heads));
    return g;
  }
}
