package org.cleft.api.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.safetensors.Tensor;

/**
 * The checkpoints the two CLEFT stages write, the same on every engine: full CLEFT checkpoints that every backend
 * loads, towers that did not train hard-linked from the base, the trainer state beside them.
 */
public final class StageCheckpoints {
  private StageCheckpoints() {}

  /**
   * What an engine hands over for a contrastive checkpoint.
   *
   * @param engine the engine's provider name
   * @param engineVersions the engine's versions, for the provenance
   * @param vision the image tower's parameters by HF name, or null when it did not train (linked)
   * @param text the text tower's parameters by HF name, or null unless the whole LM trained
   * @param adapter the adapter's parameters by peft runtime name, or null when it did not train (linked) or there is
   *     none
   * @param heads the heads' parameters
   * @param trainedImageSize the square size the tower was trained at, or 0 when unknown
   */
  public record Contrastive(String engine, Map<String, String> engineVersions, Map<String, Tensor> vision,
      Map<String, Tensor> text, Map<String, Tensor> adapter, Map<String, Tensor> heads, int trainedImageSize) {}

  /**
   * Writes a contrastive pre-training checkpoint atomically.
   *
   * @param dir the checkpoint folder
   * @param base the checkpoint the run started from
   * @param config the run's configuration
   * @param state the trainer state
   * @param c what the engine hands over
   * @throws IOException when writing fails
   */
  public static void contrastive(Path dir, CleftCheckpoint base, TrainingConfig config, TrainerState state,
      Contrastive c) throws IOException {
    CheckpointWriter w = CheckpointWriter.begin(dir);
    if (c.vision() == null) {
      w.linkFolder(base.visionDir(), "vision");
    } else {
      w.writeModelFolder(base.visionDir(), "vision", c.vision(), "model.safetensors");
    }
    if (c.text() == null) {
      w.linkFolder(base.textDir(), "text");
    } else {
      w.writeModelFolder(base.textDir(), "text", c.text(), "model.safetensors");
    }
    String adapterName = null;
    if (base.adapter().isPresent()) {
      Path adapterDir = base.adapter().get().directory();
      adapterName = adapterDir.getFileName().toString();
      if (c.adapter() == null) {
        w.linkFolder(adapterDir, adapterName);
      } else {
        // the file holds peft's saved names (no ".default"), not the runtime names
        Map<String, Tensor> saved = new LinkedHashMap<>();
        c.adapter().forEach((k, v) -> saved.put(savedPeftName(k), v));
        w.writeModelFolder(adapterDir, adapterName, saved, "adapter_model.safetensors");
      }
    }
    w.writeTensors("heads.safetensors", c.heads(), Map.of("format", "pt"));
    state.write(w, TrainingStage.CONTRASTIVE.id());
    CleftManifest m = base.manifest();
    CleftManifest out = new CleftManifest(null, 0,
        new CleftManifest.Text("text", adapterName, m.text().pooling(), m.text().maxLength()),
        new CleftManifest.Vision("vision", m.vision().pooling(),
            c.trainedImageSize() > 0 ? c.trainedImageSize() : m.vision().imageSize()), "heads.safetensors", null,
        TrainingProvenance.of(c.engine(), c.engineVersions(), TrainingStage.CONTRASTIVE.id(), config, state.step(),
            base.directory()).toMap(), config.captionStyle());
    w.writeManifest(out);
    w.commit();
  }

  /**
   * Writes a prompt-tuning checkpoint atomically: the base's towers, adapter and heads linked, and
   * {@value TrainingStage#PROMPT_FILE} with {@code ctx} and the resulting {@code class_embeds}.
   *
   * @param dir the checkpoint folder
   * @param base the checkpoint whose towers the prompts were learned on
   * @param config the run's configuration
   * @param state the trainer state
   * @param engine the engine's provider name
   * @param engineVersions the engine's versions
   * @param ctx the context vectors [n_ctx, width]
   * @param classEmbeds the class embeddings [classes, dim]
   * @param classNames the classes, in order
   * @param initText the text the context was initialised from, or null
   * @throws IOException when writing fails
   */
  public static void prompt(Path dir, CleftCheckpoint base, TrainingConfig config, TrainerState state, String engine,
      Map<String, String> engineVersions, Tensor ctx, Tensor classEmbeds, List<String> classNames, String initText)
      throws IOException {
    CheckpointWriter w = CheckpointWriter.begin(dir);
    w.linkFolder(base.textDir(), "text");
    w.linkFolder(base.visionDir(), "vision");
    String adapterName = null;
    if (base.adapter().isPresent()) {
      Path adapterDir = base.adapter().get().directory();
      adapterName = adapterDir.getFileName().toString();
      w.linkFolder(adapterDir, adapterName);
    }
    w.linkFile(base.headsFile(), "heads.safetensors");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("ctx", ctx);
    tensors.put("class_embeds", classEmbeds);
    w.writeTensors(TrainingStage.PROMPT_FILE, tensors, Map.of("class_names", String.join("\n", classNames)));
    state.write(w, TrainingStage.PROMPT.id());
    CleftManifest m = base.manifest();
    CleftManifest out = new CleftManifest(null, 0,
        new CleftManifest.Text("text", adapterName, m.text().pooling(), m.text().maxLength()),
        new CleftManifest.Vision("vision", m.vision().pooling(), m.vision().imageSize()), "heads.safetensors",
        new CleftManifest.Prompt(TrainingStage.PROMPT_FILE, config.promptContext(), initText, classNames),
        TrainingProvenance.of(engine, engineVersions, TrainingStage.PROMPT.id(), config, state.step(),
            base.directory()).toMap(), base.manifest().captions());
    w.writeManifest(out);
    w.commit();
  }

  /**
   * {@return peft's saved tensor name for a runtime name ({@code lora_A.default.weight} -> {@code lora_A.weight})}
   *
   * @param runtime the runtime name
   */
  public static String savedPeftName(String runtime) {
    return runtime.replace(".default.", ".").replaceAll("\\.default$", "");
  }
}
