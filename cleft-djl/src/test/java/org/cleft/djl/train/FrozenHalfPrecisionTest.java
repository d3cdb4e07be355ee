package org.cleft.djl.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.Precision;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.RandomCheckpoint;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.LoaderBatchSource;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.djl.DjlBackend;
import org.cleft.djl.DjlCleftModel;
import org.cleft.model.BaseCheckpoint;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frozen weights in float16 on djl, on a float32 checkpoint whose matrices are large enough to be kept in 16 bits
 * (width 256): which tensors are half, how far the embeddings move (rounding only: the arithmetic stays float32), and
 * LoRA training with a half-precision base that follows the float32 run.
 */
class FrozenHalfPrecisionTest {
  @TempDir static Path tmp;
  private static Path base;
  private static Path lora;
  private static final BackendOptions HALF = BackendOptions.defaults().withFrozenWeights(Precision.FP16);

  @BeforeAll
  static void checkpoints() throws Exception {
    base = new RandomCheckpoint(256, 2, 4, 32, 256, 2, 4, 14, 28, 0, 32)
        .write(tmp.resolve("base"), Fixtures.gpt2Tokenizer(), 50257, 5);
    lora = BaseCheckpoint.assemble(tmp.resolve("lora"), base.resolve("text"), base.resolve("vision"),
        BaseCheckpoint.Adapter.LORA, 8, 32, 32, 28, 5);
  }

  @Test
  void matricesAreHalfAndEmbeddingsMoveByRoundingOnly() throws Exception {
    List<String> texts = List.of("no acute cardiopulmonary process", "small left pleural effusion");
    ImageBatch images = images(3, 28);
    try (DjlCleftModel full = DjlCleftModel.load(base, BackendOptions.defaults());
        DjlCleftModel half = DjlCleftModel.load(base, HALF)) {
      var text = half.network().textParameters();
      assertThat(text.get("h.0.attn.c_attn.weight").getDataType()).isEqualTo(DataType.FLOAT16);
      assertThat(text.get("wte.weight").getDataType()).isEqualTo(DataType.FLOAT16);
      assertThat(text.get("wpe.weight").getDataType()).as("32 x 256: below the size kept in half")
          .isEqualTo(DataType.FLOAT32);
      assertThat(text.get("h.0.ln_1.weight").getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(half.network().visionParameters().get("encoder.layer.0.mlp.fc1.weight").getDataType())
          .isEqualTo(DataType.FLOAT16);
      assertThat(half.network().headParameters().get("text_projection.weight").getDataType())
          .isEqualTo(DataType.FLOAT32);
      assertThat(full.network().textParameters().get("wte.weight").getDataType()).isEqualTo(DataType.FLOAT32);

      double textDiff = relative(full.textEncoder().encodeTexts(texts), half.textEncoder().encodeTexts(texts));
      double imageDiff = relative(full.imageEncoder().encode(images), half.imageEncoder().encode(images));
      System.out.printf("fp16 frozen weights: relative difference text %.3e, image %.3e%n", textDiff, imageDiff);
      // float16 keeps 11 significant bits: a relative rounding of ~2.4e-4 per weight, moved through the towers
      assertThat(textDiff).isLessThan(1e-2).isGreaterThan(1e-6);
      assertThat(imageDiff).isLessThan(1e-2).isGreaterThan(1e-6);
    }
  }

  @Test
  void loraTrainsOnAHalfPrecisionBaseAsOnAFloat32One() throws Exception {
    List<Double> full = losses(BackendOptions.defaults(), "full");
    List<Double> half = losses(HALF, "half");
    System.out.println("LoRA losses, fp32 base " + full + ", fp16 base " + half);
    assertThat(half).hasSameSizeAs(full);
    for (int i = 0; i < full.size(); i++) {
      assertThat(half.get(i)).as("step " + (i + 1)).isCloseTo(full.get(i), org.assertj.core.data.Offset.offset(
          1e-2 * Math.abs(full.get(i))));
    }
    assertThat(half.get(half.size() - 1)).as("the adapter learns").isLessThan(half.get(0));
  }

  @Test
  void frozenTowersOnlyAreHalfWhileTraining() throws Exception {
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp.resolve("which")).optSteps(1).optWarmupSteps(0).build();
    try (DjlContrastiveTrainer trainer = DjlContrastiveTrainer.create(lora, config, false, HALF)) {
      var net = trainer.model().network();
      assertThat(net.textParameters().get("h.0.mlp.c_fc.weight").getDataType()).as("frozen base LM")
          .isEqualTo(DataType.FLOAT16);
      assertThat(net.visionParameters().get("encoder.layer.0.mlp.fc1.weight").getDataType()).as("trained ViT")
          .isEqualTo(DataType.FLOAT32);
    }
  }

  @Test
  void bfloat16IsRefusedOnDjlWithTheReason() {
    assertThatThrownBy(() -> new DjlBackend(BackendOptions.defaults().withFrozenWeights(Precision.BF16)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BF16").hasMessageContaining("FP16");
  }

  private static List<Double> losses(BackendOptions options, String run) throws Exception {
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp.resolve("run-" + run)).optSteps(6)
        .optLearningRate(3e-3).optWarmupSteps(0).optCheckpointEvery(0).optSeed(3)
        .optVision(TrainingConfig.VisionTraining.FROZEN).build();
    List<Double> losses = new ArrayList<>();
    try (HfTextTokenizer tok = TextTokenizers.fromDirectory(CleftCheckpoint.open(lora).textDir());
        BatchLoader data = SyntheticPairs.loader(SyntheticPairs.samples(8, 1, 32), tok, 28, 8, false, 0);
        DjlContrastiveTrainer trainer = DjlContrastiveTrainer.create(lora, config, false, options)) {
      trainer.train(new LoaderBatchSource(data), null, new TrainingListener() {
        @Override
        public void onStep(long step, long total, double loss, double lr, double rate) {
          losses.add(loss);
        }
      });
    }
    return losses;
  }

  private static ImageBatch images(int n, int size) {
    Random r = new Random(9);
    float[] pixels = new float[n * 3 * size * size];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextGaussian();
    }
    return new ImageBatch(pixels, n, 3, size, size);
  }

  /** Largest ||a_i - b_i|| / ||a_i|| over the rows. */
  private static double relative(Embeddings a, Embeddings b) {
    double worst = 0;
    for (int i = 0; i < a.rows(); i++) {
      float[] x = a.row(i);
      float[] y = b.row(i);
      double diff = 0;
      double norm = 0;
      for (int j = 0; j < x.length; j++) {
        diff += (x[j] - y[j]) * (double) (x[j] - y[j]);
        norm += x[j] * (double) x[j];
      }
      worst = Math.max(worst, Math.sqrt(diff / norm));
    }
    return worst;
  }
}
