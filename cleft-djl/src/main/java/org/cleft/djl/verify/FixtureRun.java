package org.cleft.djl.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.djl.ClipHeads;
import org.cleft.djl.CleftNetwork;
import org.cleft.djl.DjlEngine;
import org.cleft.djl.dinov2.Dinov2Model;
import org.cleft.djl.gpt2.Gpt2Model;
import org.cleft.djl.peft.PeftAdapters;
import org.cleft.djl.peft.TextAdapter;

/**
 * Runs a reference fixture directory (the layout of {@code hf-reference/tiny}) through the DJL
 * backend and returns every forward tensor under the fixture's names: {@code vision.*},
 * {@code text.*}, {@code image_embeds}, {@code text_embeds}, {@code logits_per_image}, {@code loss},
 * {@code zero_shot.*}, and {@code lora.*}, {@code ia3.*}, {@code prefix.*} when those adapters exist; with a
 * LoRA adapter also the training tensors ({@code train.*}: one contrastive step and its AdamW update) and,
 * when {@code fixture.json} describes it, context prompt tuning ({@code prompt.*}).
 */
public final class FixtureRun {
  private FixtureRun() {}

  /**
   * Computes the tensors for the fixture in {@code dir} on the CPU.
   *
   * @param dir the fixture folder
   * @return tensor name to computed value, named as in the fixture's {@code expected.safetensors}
   * @throws CheckpointException naming the file or tensor when the fixture is incomplete
   */
  public static Map<String, Tensor> forward(Path dir) throws CheckpointException {
    CleftCheckpoint ckpt = CleftCheckpoint.open(dir);
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (NDManager manager = DjlEngine.newManager(org.cleft.api.Device.cpu());
        NDScope scope = new NDScope();
        SafetensorsFile inputs = SafetensorsFile.open(dir.resolve("inputs.safetensors"))) {
      Dinov2Model vision = Dinov2Model.load(manager, ckpt.visionDir());
      Gpt2Model text = Gpt2Model.load(manager, ckpt.textDir());
      ClipHeads heads = ClipHeads.load(manager, ckpt.headsFile(), vision.config().hiddenSize(),
          text.config().nEmbd());
      CleftNetwork net = new CleftNetwork(vision, text, heads);
      NDArray pixels = floats(manager, inputs, "pixel_values");
      NDArray ids = longs(manager, inputs, "input_ids");
      NDArray mask = longs(manager, inputs, "attention_mask");

      CleftNetwork.ImageOutput img = net.encodeImages(pixels);
      put(out, "vision.last_hidden_state", img.output().lastHiddenState());
      put(out, "vision.prenorm", img.output().prenorm());
      put(out, "vision.pooled_mean", img.pooled());
      CleftNetwork.TextOutput txt = net.encodeTexts(ids, mask, null);
      put(out, "text.last_hidden_state", txt.lastHiddenState());
      put(out, "text.last_token", txt.lastToken());
      put(out, "image_embeds", img.embeds());
      put(out, "text_embeds", txt.embeds());
      NDArray logits = net.logits(img.embeds(), txt.embeds());
      put(out, "logits_per_image", logits);
      put(out, "loss", CleftNetwork.contrastiveLoss(logits).reshape(1));

      if (inputs.contains("zero_shot_input_ids")) {
        CleftNetwork.TextOutput zs = net.encodeTexts(longs(manager, inputs, "zero_shot_input_ids"),
            longs(manager, inputs, "zero_shot_attention_mask"), null);
        NDArray zl = net.logits(img.embeds(), zs.embeds());
        put(out, "zero_shot.text_embeds", zs.embeds());
        put(out, "zero_shot.logits", zl);
        put(out, "zero_shot.probs", zl.softmax(-1));
      }
      TextAdapter lora = adapter(manager, dir.resolve("lora"), text);
      if (lora != null) {
        put(out, "lora.text_embeds", net.encodeTexts(ids, mask, lora).embeds());
      }
      TextAdapter prefix = adapter(manager, dir.resolve("prefix"), text);
      if (prefix != null) {
        CleftNetwork.TextOutput t = net.encodeTexts(ids, mask, prefix);
        put(out, "prefix.text.last_hidden_state", t.lastHiddenState());
        put(out, "prefix.text_embeds", t.embeds());
      }
      JsonNode spec = readSpec(dir);
      if (lora != null) {
        // the generator's order: one contrastive step (updating the vision tower and heads in place), then IA3,
        // then prompt tuning on the updated model
        JsonNode train = spec.path("train");
        TrainingRun.contrastiveStep(net, lora, pixels, ids, mask, out, train.path("lr").asDouble(1e-3),
            train.path("weight_decay").asDouble(0.1));
      }
      TextAdapter ia3 = adapter(manager, dir.resolve("ia3"), text);
      if (ia3 != null) {
        put(out, "ia3.text_embeds", net.encodeTexts(ids, mask, ia3).embeds());
      }
      JsonNode prompt = spec.path("prompt");
      if (prompt.has("n_ctx") && inputs.contains("prompt_input_ids")) {
        try (HfTextTokenizer tok = TextTokenizers.fromDirectory(ckpt.textDir())) {
          long[] initIds = tok.ids(prompt.path("init_text").asText());
          TrainingRun.prompt(net, initIds, prompt.path("n_ctx").asInt(), pixels, inputs, out);
        }
      }
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    return out;
  }

  private static TextAdapter adapter(NDManager manager, Path folder, Gpt2Model text) throws CheckpointException {
    if (!Files.isRegularFile(folder.resolve("adapter_config.json"))) {
      return null;
    }
    return PeftAdapters.load(manager, CleftCheckpoint.Adapter.read(folder), text.config());
  }

  private static JsonNode readSpec(Path dir) throws CheckpointException {
    Path file = dir.resolve("fixture.json");
    if (!Files.isRegularFile(file)) {
      return MissingNode.getInstance();
    }
    try {
      return new ObjectMapper().readTree(Files.readString(file));
    } catch (java.io.IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  static NDArray floats(NDManager m, SafetensorsFile f, String name) throws SafetensorsException {
    return m.create(f.floats(name), new Shape(f.info(name).shape()));
  }

  static NDArray longs(NDManager m, SafetensorsFile f, String name) throws SafetensorsException {
    return m.create(f.longs(name), new Shape(f.info(name).shape()));
  }

  static void put(Map<String, Tensor> out, String name, NDArray a) {
    NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    out.put(name, Tensor.ofFloats(f.getShape().getShape(), f.toFloatArray()));
  }
}
