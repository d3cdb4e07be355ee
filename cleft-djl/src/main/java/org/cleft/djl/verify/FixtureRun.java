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
import org.cleft.api.Device;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.djl.CleftNetwork;
import org.cleft.djl.DjlEngine;
import org.cleft.model.CleftTowers;
import org.cleft.model.peft.AdapterHook;

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
    try (NDManager manager = DjlEngine.newManager(Device.cpu());
        NDScope scope = new NDScope();
        SafetensorsFile inputs = SafetensorsFile.open(dir.resolve("inputs.safetensors"))) {
      CleftNetwork net = CleftNetwork.load(manager, ckpt, null, false).network();
      NDArray pixels = floats(manager, inputs, "pixel_values");
      NDArray ids = longs(manager, inputs, "input_ids");
      NDArray mask = longs(manager, inputs, "attention_mask");

      CleftTowers.ImageFeatures<NDArray> img = net.encodeImages(pixels);
      put(out, "vision.last_hidden_state", net.vision().finalNorm(net.ops(), img.lastBlock()));
      put(out, "vision.prenorm", img.lastBlock());
      put(out, "vision.pooled_mean", img.pooled());
      CleftTowers.TextFeatures<NDArray> txt = net.encodeTexts(ids, mask, AdapterHook.none());
      put(out, "text.last_hidden_state", net.text().finalNorm(net.ops(), txt.hidden()));
      put(out, "text.last_token", txt.lastToken());
      put(out, "image_embeds", img.embeds());
      put(out, "text_embeds", txt.embeds());
      NDArray logits = net.logits(img.embeds(), txt.embeds());
      put(out, "logits_per_image", logits);
      put(out, "loss", CleftNetwork.contrastiveLoss(logits).reshape(1));

      if (inputs.contains("zero_shot_input_ids")) {
        CleftTowers.TextFeatures<NDArray> zs = net.encodeTexts(longs(manager, inputs, "zero_shot_input_ids"),
            longs(manager, inputs, "zero_shot_attention_mask"), AdapterHook.none());
        NDArray zl = net.logits(img.embeds(), zs.embeds());
        put(out, "zero_shot.text_embeds", zs.embeds());
        put(out, "zero_shot.logits", zl);
        put(out, "zero_shot.probs", zl.softmax(-1));
      }
      AdapterHook<NDArray> lora = adapter(manager, ckpt, dir.resolve("lora"));
      if (lora != null) {
        put(out, "lora.text_embeds", net.encodeTexts(ids, mask, lora).embeds());
      }
      AdapterHook<NDArray> prefix = adapter(manager, ckpt, dir.resolve("prefix"));
      if (prefix != null) {
        CleftTowers.TextFeatures<NDArray> t = net.encodeTexts(ids, mask, prefix);
        put(out, "prefix.text.last_hidden_state", net.text().finalNorm(net.ops(), t.hidden()));
        put(out, "prefix.text_embeds", t.embeds());
      }
      JsonNode spec = readSpec(dir);
      JsonNode prompt = spec.path("prompt");
      boolean promptOnLoaded = "loaded".equals(prompt.path("model").asText());
      if (promptOnLoaded) {
        prompt(ckpt, net, prompt, pixels, inputs, out);
      }
      if (lora != null && spec.has("train")) {
        // the generator's order: one contrastive step (updating the vision tower and heads in place), then IA3,
        // then prompt tuning on the updated model; a fixture without a training step (no "train" in fixture.json)
        // has its IA3 and prompt tensors on the model as loaded
        JsonNode train = spec.path("train");
        TrainingRun.contrastiveStep(net, lora, pixels, ids, mask, out, train.path("lr").asDouble(1e-3),
            train.path("weight_decay").asDouble(0.1));
      }
      AdapterHook<NDArray> ia3 = adapter(manager, ckpt, dir.resolve("ia3"));
      if (ia3 != null) {
        put(out, "ia3.text_embeds", net.encodeTexts(ids, mask, ia3).embeds());
      }
      if (!promptOnLoaded) {
        prompt(ckpt, net, prompt, pixels, inputs, out);
      }
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    return out;
  }

  /** Prompt tuning's tensors when {@code fixture.json} describes it (on the network as it is now). */
  private static void prompt(CleftCheckpoint ckpt, CleftNetwork net, JsonNode prompt, NDArray pixels,
      SafetensorsFile inputs, Map<String, Tensor> out) throws SafetensorsException {
    if (prompt.has("n_ctx") && inputs.contains("prompt_input_ids")) {
      try (HfTextTokenizer tok = TextTokenizers.fromDirectory(ckpt.textDir())) {
        long[] initIds = tok.ids(prompt.path("init_text").asText());
        TrainingRun.prompt(net, initIds, prompt.path("n_ctx").asInt(), tok.specialPrefix(), pixels, inputs, out);
      }
    }
  }

  /** The adapter in {@code folder} on the checkpoint's text tower (its own arrays), or null when there is none. */
  private static AdapterHook<NDArray> adapter(NDManager manager, CleftCheckpoint ckpt, Path folder)
      throws CheckpointException {
    if (!Files.isRegularFile(folder.resolve("adapter_config.json"))) {
      return null;
    }
    return CleftNetwork.loadAdapter(manager, ckpt, CleftCheckpoint.Adapter.read(folder));
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
