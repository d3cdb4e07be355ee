package org.cleft.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.RandomCheckpoint;
import org.cleft.examples.demo.DemoVocabulary;
import org.cleft.model.BaseCheckpoint;

/**
 * A benchmark shape of {@code ../shared/bench/README.md}: the model (a random checkpoint of that shape), the batch
 * sizes, the sequence length, what trains, and the PyTorch anchor's mode for each measure.
 *
 * @param name the shape's name on the command line
 * @param trainBatch the training batch size
 * @param inferBatch the inference batch size
 * @param tokens the caption length in tokens (every token real)
 * @param text what of the text tower trains
 * @param weightDecay AdamW's weight decay
 * @param anchorModes the anchor's modes for train, image and text (null where the anchor has none)
 */
public record BenchShape(String name, int trainBatch, int inferBatch, int tokens, TrainingConfig.TextTraining text,
    double weightDecay, List<String> anchorModes) {
  /** The token ids drawn for captions are below this (the anchor draws from [0, 50000)). */
  static final int ID_RANGE = 50000;

  /** The demo's model: ViT 2x64 at 56 px with 2 registers, GPT-2 2x64, projections to 32, all trainable, batch 32. */
  public static final BenchShape DEMO = new BenchShape("demo", 32, 32, 32, TrainingConfig.TextTraining.FULL, 0.05,
      Arrays.asList("train_demo", null, null));

  /**
   * cpu-small: GPT-2 4x256 (4 heads, vocab 50257, 64 positions) with LoRA r 8 / alpha 32 on {@code c_attn} (base
   * frozen, no LoRA dropout, as the anchor), DINOv2-with-registers 6x192 (3 heads, patch 14, 4 registers, 112 px,
   * fully trained), projections to 128; training batch 16, inference batch 32, 32 tokens.
   */
  public static final BenchShape CPU_SMALL = new BenchShape("cpu-small", 16, 32, 32,
      TrainingConfig.TextTraining.ADAPTER, 0.1, List.of("train_small", "infer_image", "infer_text"));

  /** {@return the named shapes} */
  public static List<BenchShape> named() {
    return List.of(DEMO, CPU_SMALL);
  }

  /**
   * {@return the named shape}
   *
   * @param name {@code demo} or {@code cpu-small}
   * @throws IllegalArgumentException for another name
   */
  public static BenchShape named(String name) {
    return named().stream().filter(s -> s.name.equals(name.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown shape '" + name + "': use demo or cpu-small"));
  }

  /**
   * {@return the shape of a user's checkpoint: training batch 16, inference batch 32, 32 tokens; the adapter trains
   * when there is one, else the text tower stays frozen; no anchor}
   *
   * @param checkpoint the checkpoint
   */
  public static BenchShape of(CleftCheckpoint checkpoint) {
    Path name = checkpoint.directory().toAbsolutePath().normalize().getFileName();
    return new BenchShape(name == null ? "checkpoint" : name.toString(), 16, 32, 32,
        checkpoint.adapter().isPresent() ? TrainingConfig.TextTraining.ADAPTER : TrainingConfig.TextTraining.FROZEN,
        0.1, Arrays.asList(null, null, null));
  }

  /**
   * Writes the shape's random checkpoint.
   *
   * @param dir the new checkpoint folder
   * @param scratch an empty folder for the towers before the adapter is added (cpu-small)
   * @return {@code dir}
   * @throws IOException when writing fails
   * @throws CheckpointException when the towers cannot be assembled
   */
  public Path writeCheckpoint(Path dir, Path scratch) throws IOException, CheckpointException {
    Path vocab = scratch.resolve("gpt2");
    DemoVocabulary.copyTo(vocab);
    if (name.equals(DEMO.name)) {
      return new RandomCheckpoint(64, 2, 4, 32, 64, 2, 4, 14, 56, 2, 32).write(dir, vocab, 50257, 0);
    }
    // the assembled checkpoint names its towers' folders: they live inside it
    Path towers = new RandomCheckpoint(256, 4, 4, 64, 192, 6, 3, 14, 112, 4, 128).write(dir.resolve("towers"),
        vocab, 50257, 0);
    BaseCheckpoint.assemble(dir, towers.resolve("text"), towers.resolve("vision"), BaseCheckpoint.Adapter.LORA, 8, 32,
        128, 112, 0);
    // the anchor's LoRA has no dropout
    Path config = dir.resolve("lora/adapter_config.json");
    Files.writeString(config, Files.readString(config).replaceAll("\"lora_dropout\"\\s*:\\s*[0-9.]+",
        "\"lora_dropout\" : 0.0"));
    return dir;
  }
}
