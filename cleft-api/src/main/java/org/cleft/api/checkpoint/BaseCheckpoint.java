package org.cleft.api.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;

/**
 * Assembles the starting checkpoint of a CLEFT pre-training run from two pretrained HF folders (a
 * GPT-2-architecture LM such as gpt2 or BioMedLM, a DINOv2 such as dinov2-with-registers-base):
 * the folders are referenced by absolute path (not copied), a new peft adapter is initialised as peft
 * does (LoRA: A kaiming-uniform, B zero, so the adapted model starts equal to the base; IA3: ones),
 * and new projection heads as {@code nn.Linear} with {@code logit_scale = log(1 / 0.07)}.
 */
public final class BaseCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The adapter to add to the text tower. */
  public enum Adapter {
    /** LoRA on {@code c_attn} (the paper: r 8, alpha 32). */
    LORA,
    /** IA3 on {@code c_attn} (keys and values) and {@code mlp.c_proj} (feed-forward). */
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
    ModelConfig text = ModelConfig.read(textDir.resolve("config.json"));
    ModelConfig vision = ModelConfig.read(visionDir.resolve("config.json"));
    if (!(text instanceof Gpt2Config g)) {
      throw new CheckpointException(textDir.resolve("config.json") + ": model_type '" + text.modelType()
          + "' is not supported as the text tower (expected gpt2)");
    }
    if (!(vision instanceof Dinov2Config v)) {
      throw new CheckpointException(visionDir.resolve("config.json") + ": model_type '" + vision.modelType()
          + "' is not supported as the image tower (expected dinov2 or dinov2_with_registers)");
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
      case LORA -> writeLora(out.resolve("lora"), g, loraR, loraAlpha, textDir, r);
      case IA3 -> writeIa3(out.resolve("ia3"), g, textDir);
      case NONE -> null;
    };
    Map<String, Tensor> heads = new LinkedHashMap<>();
    heads.put("image_projection.weight", uniform(r, v.hiddenSize(), embeddingDim, v.hiddenSize()));
    heads.put("image_projection.bias", uniform(r, v.hiddenSize(), embeddingDim));
    heads.put("text_projection.weight", uniform(r, g.nEmbd(), embeddingDim, g.nEmbd()));
    heads.put("text_projection.bias", uniform(r, g.nEmbd(), embeddingDim));
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

  private static String writeLora(Path dir, Gpt2Config g, int rank, double alpha, Path textDir, Random r)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> c = peftConfig("LORA", textDir);
    c.put("r", rank);
    c.put("lora_alpha", alpha);
    c.put("lora_dropout", 0.1);
    c.put("target_modules", List.of("c_attn"));
    c.put("fan_in_fan_out", true);
    c.put("bias", "none");
    JSON.writeValue(dir.resolve("adapter_config.json").toFile(), c);
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (int i = 0; i < g.nLayer(); i++) {
      String m = "base_model.model.h." + i + ".attn.c_attn.";
      // kaiming_uniform_(a=sqrt(5)) on [r, in] is U(-1/sqrt(in), 1/sqrt(in)); B starts at zero
      w.put(m + "lora_A.weight", uniform(r, g.nEmbd(), rank, g.nEmbd()));
      w.put(m + "lora_B.weight", Tensor.ofFloats(new long[] {3L * g.nEmbd(), rank}, new float[3 * g.nEmbd() * rank]));
    }
    SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), w, Map.of("format", "pt"));
    return dir.getFileName().toString();
  }

  private static String writeIa3(Path dir, Gpt2Config g, Path textDir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> c = peftConfig("IA3", textDir);
    c.put("target_modules", List.of("c_attn", "mlp.c_proj"));
    c.put("feedforward_modules", List.of("mlp.c_proj"));
    c.put("fan_in_fan_out", true);
    JSON.writeValue(dir.resolve("adapter_config.json").toFile(), c);
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (int i = 0; i < g.nLayer(); i++) {
      String p = "base_model.model.h." + i + ".";
      w.put(p + "attn.c_attn.ia3_l", ones(3L * g.nEmbd(), 1));
      w.put(p + "mlp.c_proj.ia3_l", ones(1, g.nInner()));
    }
    SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), w, Map.of("format", "pt"));
    return dir.getFileName().toString();
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
    java.util.Arrays.fill(v, 1f);
    return Tensor.ofFloats(new long[] {a, b}, v);
  }
}
