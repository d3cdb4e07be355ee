package org.cleft.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.api.CleftModel;
import org.cleft.api.ImageBatch;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear error naming what is wrong, never a native crash. */
class BadInputTest {
  private static DjlBackend backend;
  private static CleftModel model;
  @TempDir Path tmp;

  @BeforeAll
  static void load() throws Exception {
    backend = new DjlBackend(BackendOptions.defaults());
    model = backend.load(Fixtures.tiny());
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  @Test
  void sizeNotAMultipleOfThePatchIsNamed() {
    ImageBatch odd = new ImageBatch(new float[3 * 50 * 70], 1, 3, 50, 70);
    assertThatThrownBy(() -> anySize().encode(odd)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("50x70").hasMessageContaining("patch size 14");
    // the model's own encoder takes only its input size (as ONNX Runtime does)
    assertThatThrownBy(() -> model.imageEncoder().encode(odd)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("50x70").hasMessageContaining("70x70 this model takes");
  }

  @Test
  void imagesLargerAndSmallerThanTheConfigSizeWorkAtAnySizeEncoder() {
    // the trainers' encoder (forSize(0)) takes any multiple of the patch, interpolating the positions
    for (int side : new int[] {14, 28, 56, 98, 140}) {
      assertThat(anySize().encode(new ImageBatch(new float[3 * side * side], 1, 3, side, side))
          .rows()).isEqualTo(1);
    }
    assertThat(anySize().encode(new ImageBatch(new float[3 * 28 * 70], 1, 3, 28, 70)).rows())
        .isEqualTo(1);
    assertThat(model.imageEncoder().inputSize()).isEqualTo(70);
  }

  @Test
  void unknownModelTypeIsNamed() throws Exception {
    Path dir = copy();
    Files.writeString(dir.resolve("vision/config.json"), "{\"model_type\": \"vit\"}");
    assertThatThrownBy(() -> backend.load(dir)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("vision").hasMessageContaining("'vit'");
  }

  @Test
  void unknownPeftTypeIsNamed() throws Exception {
    Path dir = copy();
    Files.writeString(dir.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"text\": {\"adapter\": \"lora\"}}");
    Files.writeString(dir.resolve("lora/adapter_config.json"), "{\"peft_type\": \"LOHA\", \"target_modules\": [\"c_attn\"]}");
    assertThatThrownBy(() -> backend.load(dir)).isInstanceOf(CheckpointException.class).hasMessageContaining("'LOHA'");
  }

  @Test
  void misshapenLoraIsNamed() throws Exception {
    Path dir = copy();
    Files.writeString(dir.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"text\": {\"adapter\": \"lora\"}}");
    Fixtures.rewriteTensor(dir.resolve("lora/adapter_model.safetensors"), "base_model.model.h.0.attn.c_attn.lora_B.weight",
        new long[] {8, 96});
    assertThatThrownBy(() -> backend.load(dir)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("lora_B.weight' has shape [8, 96], expected [96, 8]");
  }

  private Path copy() throws Exception {
    Path dir = tmp.resolve("ckpt");
    Fixtures.copy(Fixtures.tiny(), dir);
    return dir;
  }

  private static DjlImageEncoder anySize() {
    return ((DjlImageEncoder) model.imageEncoder()).forSize(0);
  }
}
