package org.cleft.tf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.CleftHome;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.model.CleftTowers;
import org.cleft.model.TextFamily;
import org.cleft.model.TowerFamilies;
import org.cleft.model.VisionFamily;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.peft.PeftAdapter;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Runs a reference fixture directory through TensorFlow and returns its tensors under the fixture's names: the
 * towers' states ({@code vision.*}, {@code text.*}), the embeddings, logits, loss, zero-shot tensors, the LoRA and
 * prefix-tuning text embeddings (unmerged, as a trainer runs them) and, with a LoRA adapter, the training tensors
 * ({@code train.*}: one contrastive step, its gradients and AdamW update; {@code ia3.*}; {@code prompt.*}: context
 * prompt tuning's forward pass and gradient). All in one graph, the fixture's inputs as constants.
 */
public final class TfFixtureRun {
  private TfFixtureRun() {}

  /**
   * Computes the tensors for the fixture in {@code dir} on the CPU.
   *
   * @param dir the fixture folder
   * @return tensor name to computed value, named as in the fixture's {@code expected.safetensors}
   * @throws CheckpointException naming the file or tensor when the fixture is incomplete
   */
  public static Map<String, Tensor> forward(Path dir) throws CheckpointException {
    CleftHome.configureEngines();
    CleftCheckpoint ckpt = CleftCheckpoint.open(dir);
    VisionConfig vc = ckpt.visionConfig();
    TextConfig tc = ckpt.textConfig();
    VisionFamily vf = TowerFamilies.vision(vc);
    TextFamily tfam = TowerFamilies.text(tc);
    List<AutoCloseable> owned = new ArrayList<>();
    Map<String, Operand<?>> fetch = new LinkedHashMap<>();
    try (SafetensorsFile inputs = SafetensorsFile.open(dir.resolve("inputs.safetensors"));
        TfTensors vision = new TfTensors(Safetensors.openModel(ckpt.visionDir()), vf.wrapperPrefix());
        TfTensors text = new TfTensors(Safetensors.openModel(ckpt.textDir()), tfam.wrapperPrefix());
        TfTensors heads = new TfTensors(SafetensorsFile.open(ckpt.headsFile()), null);
        TfGraph g = new TfGraph()) {
      Ops tf = g.tf();
      TfOps ops = TfOps.inference(tf);
      CleftTowers<Operand<?>> towers = new CleftTowers<>(vf.tower(vc, new TfWeights(g, vision, TfCleftModel.VISION)),
          tfam.tower(tc, new TfWeights(g, text, TfCleftModel.TEXT)), new TfWeights(g, heads, ""));
      long[] ps = inputs.info("pixel_values").shape();
      Operand<TFloat32> pixels = tf.constant(Shape.of(ps), DataBuffers.of(inputs.floats("pixel_values"), true, false));
      Operand<TInt64> ids = longs(tf, inputs, "input_ids");
      Operand<TInt64> mask = longs(tf, inputs, "attention_mask");

      CleftTowers.ImageFeatures<Operand<?>> img = towers.image().encode(ops, pixels, (int) ps[2], (int) ps[3]);
      fetch.put("vision.last_hidden_state", towers.image().tower().finalNorm(ops, img.lastBlock()));
      fetch.put("vision.prenorm", img.lastBlock());
      fetch.put("vision.pooled_mean", img.pooled());
      CleftTowers.TextFeatures<Operand<?>> txt = towers.text().encode(ops, ids, mask, AdapterHook.none());
      fetch.put("text.last_hidden_state", towers.text().tower().finalNorm(ops, txt.hidden()));
      fetch.put("text.last_token", txt.lastToken());
      fetch.put("image_embeds", img.embeds());
      fetch.put("text_embeds", txt.embeds());
      Operand<?> logits = towers.logits(ops, img.embeds(), txt.embeds());
      fetch.put("logits_per_image", logits);
      fetch.put("loss", tf.reshape(TfOps.f(TfLosses.contrastive(tf, logits)), tf.constant(new long[] {1})));
      if (inputs.contains("zero_shot_input_ids")) {
        Operand<?> classes = towers.text().encode(ops, longs(tf, inputs, "zero_shot_input_ids"),
            longs(tf, inputs, "zero_shot_attention_mask"), AdapterHook.none()).embeds();
        Operand<?> zl = towers.logits(ops, img.embeds(), classes);
        fetch.put("zero_shot.text_embeds", classes);
        fetch.put("zero_shot.logits", zl);
        fetch.put("zero_shot.probs", tf.nn.softmax(TfOps.f(zl)));
      }
      JsonNode spec = readSpec(dir);
      Map<String, AdapterHook<Operand<?>>> hooks = new LinkedHashMap<>();
      for (String name : List.of("lora", "prefix", "ia3")) {
        Path folder = dir.resolve(name);
        if (!Files.isRegularFile(folder.resolve("adapter_config.json"))) {
          continue;
        }
        CleftCheckpoint.Adapter adapter = CleftCheckpoint.Adapter.read(folder);
        TfTensors a = new TfTensors(SafetensorsFile.open(adapter.weights()), null);
        owned.add(a);
        AdapterHook<Operand<?>> hook = PeftAdapter.read(adapter, tfam.adaptable(tc), a.source())
            .unmerged(new TfWeights(g, a, name + "."));
        hooks.put(name, hook);
        if (name.equals("ia3") && spec.has("train") && Files.isDirectory(dir.resolve("lora"))) {
          continue; // the reference computes IA3 after its training step
        }
        CleftTowers.TextFeatures<Operand<?>> t = towers.text().encode(ops, ids, mask, hook);
        if (name.equals("prefix")) {
          fetch.put("prefix.text.last_hidden_state", towers.text().tower().finalNorm(ops, t.hidden()));
        }
        fetch.put(name + ".text_embeds", t.embeds());
      }
      TfTrainingRun training = null;
      if (hooks.containsKey("lora") && spec.has("train")) {
        // the generator's order: one contrastive step (updating the vision tower and heads), then IA3, then prompt
        // tuning on the updated model; a fixture without a training step (no "train" in fixture.json) has its IA3
        // tensors on the model as loaded
        training = new TfTrainingRun(g);
        training.contrastive(towers, TfOps.training(tf, tf.constant(new long[] {0, 0})), vf, hooks.get("lora"),
            img.embeds(), ids, mask, (int) ps[0]);
        if (hooks.containsKey("ia3")) {
          training.ia3(towers, ops, hooks.get("ia3"), ids, mask);
        }
        JsonNode prompt = spec.path("prompt");
        if (prompt.has("n_ctx") && inputs.contains("prompt_input_ids")) {
          try (HfTextTokenizer tok = TextTokenizers.fromDirectory(ckpt.textDir())) {
            long[] initIds = tok.ids(prompt.path("init_text").asText());
            int width = tc.hiddenSize();
            TFloat32 wte = text.get(tfam.tokenEmbeddingsName(), new long[] {tc.vocabSize(), width}, null);
            float[] table = new float[(int) wte.size()];
            wte.copyTo(DataBuffers.of(table, false, false));
            training.prompt(towers, ops, img.embeds(), initIds, prompt.path("n_ctx").asInt(), inputs, table, width,
                tok.specialPrefix(), "loaded".equals(prompt.path("model").asText()));
          }
        }
      }
      g.start();
      Map<String, Tensor> out = new LinkedHashMap<>();
      List<String> names = new ArrayList<>(fetch.keySet());
      try (Result r = g.run(Map.of(), new ArrayList<>(fetch.values()))) {
        for (int i = 0; i < names.size(); i++) {
          TFloat32 t = (TFloat32) r.get(i);
          float[] values = new float[(int) t.size()];
          t.copyTo(DataBuffers.of(values, false, false));
          out.put(names.get(i), Tensor.ofFloats(t.shape().asArray(), values));
        }
      }
      if (training != null) {
        JsonNode train = spec.path("train");
        training.run(out, train.path("lr").asDouble(1e-3), train.path("weight_decay").asDouble(0.1));
      }
      return out;
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    } finally {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception ignored) {
          // already failing or done
        }
      }
    }
  }

  /** {@return a fetched float tensor as a checkpoint tensor, with {@code shape} when given (else its own)} */
  static Tensor tensor(TFloat32 t, long[] shape) {
    float[] values = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(values, false, false));
    return Tensor.ofFloats(shape != null ? shape : t.shape().asArray(), values);
  }

  private static JsonNode readSpec(Path dir) throws CheckpointException {
    Path file = dir.resolve("fixture.json");
    if (!Files.isRegularFile(file)) {
      return MissingNode.getInstance();
    }
    try {
      return new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static Operand<TInt64> longs(Ops tf, SafetensorsFile f, String name) throws SafetensorsException {
    return tf.constant(Shape.of(f.info(name).shape()), DataBuffers.of(f.longs(name), true, false));
  }
}
