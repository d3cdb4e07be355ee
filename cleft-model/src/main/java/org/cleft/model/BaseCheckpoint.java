package org.cleft.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.checkpoint.ModelConfig;
import org.cleft.api.checkpoint.TextConfig;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.cleft.model.peft.AdaptableModule;
import org.cleft.model.peft.AdaptableTower;

/**
 * Assembles the starting checkpoint of a CLEFT pre-training run from two pretrained HF folders (a
 * language model of a known text family, such as gpt2 or BioMedLM, and an image tower such as
 * dinov2-with-registers-base): the folders are referenced by absolute path (not copied), a new peft adapter is
 * initialised as peft does, on peft's default modules for the family (LoRA: A kaiming-uniform, B zero, so the adapted
 * model starts equal to the base; IA3: ones), and new projection heads as {@code nn.Linear} with
 * {@code logit_scale = log(1 / 0.07)}.
 *
 * <p>Moved from {@code org.cleft.api.checkpoint} (the adapter's modules now come from the tower family).
 */
public final class BaseCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String PEFT_PREFIX = "base_model.model.";

  /** The adapter to add to the text tower. */
  public enum Adapter {
    /** LoRA on peft's default modules for the family (GPT-2: {@code c_attn}; the paper: r 8, alpha 32). */
    LORA,
    /** IA3 on peft's defaults for the family (GPT-2: {@code c_attn}, and {@code mlp.c_proj} as feed-forward). */
    IA3,
    /** No adapter: train the whole LM or keep it frozen. */
    NONE
  }

  private BaseCheckpoint() {}

  /**
   * Writes the starting checkpoint.
   *
   * @param out the new checkpoint folder (must not hold a checkpoint)
   * @param textDir the LM's HF folder ({@code config.json}, weights, tokenizer)
   * @param visionDir the image tower's HF folder
   * @param adapter the adapter to initialise
   * @param loraR LoRA rank (LORA only)
   * @param loraAlpha LoRA alpha (LORA only)
   * @param embeddingDim width of the shared embedding space (the paper: 512)
   * @param imageSize the input size the model is trained at; 0 for the vision config's {@code image_size}
   * @param seed the seed for the new weights
   * @return {@code out}
   * @throws CheckpointException when a tower folder is missing or is not a supported model
   * @throws IOException when writing fails
   */
  public static Path assemble(Path out, Path textDir, Path visionDir, Adapter adapter, int loraR, double loraAlpha,
      int embeddingDim, int imageSize, long seed) throws CheckpointException, IOException {
    return assemble(out, textDir, visionDir, adapter, loraR, loraAlpha, null, embeddingDim, imageSize, seed);
  }

  /**
   * Writes the starting checkpoint, LoRA on the given modules.
   *
   * @param out the new checkpoint folder (must not hold a checkpoint)
   * @param textDir the LM's HF folder ({@code config.json}, weights, tokenizer)
   * @param visionDir the image tower's HF folder
   * @param adapter the adapter to initialise
   * @param loraR LoRA rank (LORA only)
   * @param loraAlpha LoRA alpha (LORA only)
   * @param loraTargets peft's {@code target_modules} for LoRA (module names or their last parts, e.g.
   *     {@code q_proj}), {@code ["all-linear"]} for every linear module of the tower, or null for the family's
   *     defaults (GPT-2 {@code c_attn}; LLaMA {@code q_proj}, {@code v_proj})
   * @param embeddingDim width of the shared embedding space (the paper: 512)
   * @param imageSize the input size the model is trained at; 0 for the vision config's {@code image_size}
   * @param seed the seed for the new weights
   * @return {@code out}
   * @throws CheckpointException when a tower folder is missing or is not a supported model, or a LoRA target
   *     names no module of the tower
   * @throws IOException when writing fails
   */
  public static Path assemble(Path out, Path textDir, Path visionDir, Adapter adapter, int loraR, double loraAlpha,
      List<String> loraTargets, int embeddingDim, int imageSize, long seed) throws CheckpointException, IOException {
    ModelConfig text = ModelConfig.read(textDir.resolve("config.json"));
    ModelConfig vision = ModelConfig.read(visionDir.resolve("config.json"));
    if (!(text instanceof TextConfig g)) {
      throw new CheckpointException(textDir.resolve("config.json") + ": model_type '" + text.modelType()
          + "' is not a text tower");
    }
    if (!(vision instanceof VisionConfig v)) {
      throw new CheckpointException(visionDir.resolve("config.json") + ": model_type '" + vision.modelType()
          + "' is not an image tower");
    }
    AdaptableTower tower;
    try {
      TowerFamilies.vision(v);
      tower = TowerFamilies.text(g).adaptable(g);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    if (imageSize <= 0) {
      imageSize = v.imageSize();
    }
    if (imageSize % v.patchSize() != 0) {
      throw new IllegalArgumentException("image size " + imageSize + " is not a multiple of the patch size "
          + v.patchSize() + " of " + visionDir);
    }
    if (Files.exists(out.resolve(CleftCheckpoint.MANIFEST))) {
      throw new IOException(out + ": already holds a checkpoint (cleft.json); choose an empty folder");
    }
    Files.createDirectories(out);
    Random r = new Random(seed);
    String adapterName = switch (adapter) {
      case LORA -> writeLora(out.resolve("lora"), tower, loraR, loraAlpha, loraTargets(tower, loraTargets, textDir),
          textDir, r);
      case IA3 -> writeIa3(out.resolve("ia3"), tower, textDir);
      case NONE -> null;
    };
    Map<String, Tensor> heads = new LinkedHashMap<>();
    heads.put("image_projection.weight", uniform(r, v.hiddenSize(), embeddingDim, v.hiddenSize()));
    heads.put("image_projection.bias", uniform(r, v.hiddenSize(), embeddingDim));
    heads.put("text_projection.weight", uniform(r, g.hiddenSize(), embeddingDim, g.hiddenSize()));
    heads.put("text_projection.bias", uniform(r, g.hiddenSize(), embeddingDim));
    heads.put("logit_scale", Tensor.ofFloats(new long[] {1}, new float[] {(float) Math.log(1 / 0.07)}));
    SafetensorsWriter.write(out.resolve("heads.safetensors"), heads, Map.of("format", "pt"));
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("init", "assembled");
    provenance.put("text", textDir.toAbsolutePath().normalize().toString());
    provenance.put("vision", visionDir.toAbsolutePath().normalize().toString());
    provenance.put("seed", seed);
    provenance.put("adapter", adapter.name());
    provenance.put("lora_r", loraR);
    provenance.put("lora_alpha", loraAlpha);
    provenance.put("embedding_dim", embeddingDim);
    provenance.put("image_size", imageSize);
    new CleftManifest(null, 0, new CleftManifest.Text(textDir.toAbsolutePath().normalize().toString(), adapterName,
        null, 0), new CleftManifest.Vision(visionDir.toAbsolutePath().normalize().toString(), null, imageSize), null,
        null, provenance).write(out.resolve(CleftCheckpoint.MANIFEST));
    return out;
  }

  /** peft's targets: the family's defaults, every linear module ({@code all-linear}), or the list, each checked. */
  private static List<String> loraTargets(AdaptableTower tower, List<String> given, Path textDir)
      throws CheckpointException {
    if (given == null || given.isEmpty()) {
      return tower.loraTargets();
    }
    List<String> known = tower.linearModules().keySet().stream().map(n -> n.substring(n.lastIndexOf('.') + 1))
        .distinct().sorted().toList();
    if (given.size() == 1 && given.get(0).equals("all-linear")) {
      return known;
    }
    for (String t : given) {
      if (targets(tower, List.of(t)).isEmpty()) {
        throw new CheckpointException(textDir.resolve("config.json") + ": LoRA target '" + t + "' names no linear "
            + "module of this " + tower.family() + " tower (its modules end in: " + String.join(", ", known)
            + "; or all-linear)");
      }
    }
    return List.copyOf(given);
  }

  private static String writeLora(Path dir, AdaptableTower tower, int rank, double alpha, List<String> targets,
      Path textDir, Random r) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> c = peftConfig("LORA", textDir);
    c.put("r", rank);
    c.put("lora_alpha", alpha);
    c.put("lora_dropout", 0.1);
    c.put("target_modules", targets);
    c.put("fan_in_fan_out", tower.linearModules().values().stream().anyMatch(AdaptableModule::inputMajor));
    c.put("bias", "none");
    JSON.writeValue(dir.resolve("adapter_config.json").toFile(), c);
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (AdaptableModule m : targets(tower, targets)) {
      String p = PEFT_PREFIX + m.name() + ".";
      // kaiming_uniform_(a=sqrt(5)) on [r, in] is U(-1/sqrt(in), 1/sqrt(in)); B starts at zero
      w.put(p + "lora_A.weight", uniform(r, m.in(), rank, m.in()));
      w.put(p + "lora_B.weight", Tensor.ofFloats(new long[] {m.out(), rank}, new float[m.out() * rank]));
    }
    SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), w, Map.of("format", "pt"));
    return dir.getFileName().toString();
  }

  private static String writeIa3(Path dir, AdaptableTower tower, Path textDir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> c = peftConfig("IA3", textDir);
    c.put("target_modules", tower.ia3Targets());
    c.put("feedforward_modules", tower.ia3Feedforward());
    c.put("fan_in_fan_out", tower.linearModules().values().stream().anyMatch(AdaptableModule::inputMajor));
    JSON.writeValue(dir.resolve("adapter_config.json").toFile(), c);
    Map<String, Tensor> w = new LinkedHashMap<>();
    List<AdaptableModule> ff = targets(tower, tower.ia3Feedforward());
    for (AdaptableModule m : targets(tower, tower.ia3Targets())) {
      // peft's IA3 vector scales a feed-forward module's input ([1, in]), another module's output ([out, 1])
      w.put(PEFT_PREFIX + m.name() + ".ia3_l", ff.contains(m) ? ones(1, m.in()) : ones(m.out(), 1));
    }
    SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), w, Map.of("format", "pt"));
    return dir.getFileName().toString();
  }

  /** The modules peft's {@code target_modules} list selects: a name equal to a target or ending with "." + it. */
  private static List<AdaptableModule> targets(AdaptableTower tower, List<String> targets) {
    return tower.linearModules().values().stream()
        .filter(m -> targets.stream().anyMatch(t -> m.name().equals(t) || m.name().endsWith("." + t))).toList();
  }

  private static Map<String, Object> peftConfig(String type, Path textDir) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("peft_type", type);
    c.put("base_model_name_or_path", textDir.toAbsolutePath().normalize().toString());
    c.put("task_type", null);
    c.put("inference_mode", false);
    return c;
  }

  private static Tensor uniform(Random r, int fanIn, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double bound = 1 / Math.sqrt(fanIn);
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (bound * (2 * r.nextDouble() - 1));
    }
    return Tensor.ofFloats(shape, v);
  }

  private static Tensor ones(long a, long b) {
    float[] v = new float[Math.toIntExact(a * b)];
    Arrays.fill(v, 1f);
    return Tensor.ofFloats(new long[] {a, b}, v);
  }
}
