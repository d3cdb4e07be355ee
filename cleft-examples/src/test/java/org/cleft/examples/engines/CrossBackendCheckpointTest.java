package org.cleft.examples.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingListener;
import org.cleft.api.TrainingReport;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.onnx.export.OnnxExporter;
import org.cleft.testkit.Fixtures;
import org.cleft.testkit.RandomPairs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint trained on one engine runs on the others with the same numbers: trained on djl (or tf), loaded on the
 * other training engine, exported and run on onnx, all within 1e-4 of the training backend.
 */
class CrossBackendCheckpointTest {
  private static final double TOLERANCE = 1e-4;
  @TempDir Path tmp;

  @Test
  void aDjlTrainedCheckpointGivesTheSameEmbeddingsOnTfAndOnnx() throws Exception {
    trainedOnGivesTheSameEmbeddings("djl", "tf");
  }

  @Test
  void aTfTrainedCheckpointGivesTheSameEmbeddingsOnDjlAndOnnx() throws Exception {
    trainedOnGivesTheSameEmbeddings("tf", "djl");
  }

  private void trainedOnGivesTheSameEmbeddings(String trainer, String other) throws Exception {
    Path base = Fixtures.trainableTiny(tmp.resolve(trainer + "-base"));
    TrainingConfig config = TrainingConfig.builder().setOutputDir(tmp.resolve(trainer + "-run")).optSteps(3)
        .optWarmupSteps(1).optLearningRate(1e-3).optMinLearningRate(1e-5).build();
    Path trained;
    try (Backend b = Backends.open(Capability.TRAINING, trainer, BackendOptions.defaults());
        ContrastiveTrainer t = b.contrastiveTrainer(base, config, false)) {
      TrainingReport r = t.train(new RandomPairs(2, 4, 56, 5, 7, -1), null, TrainingListener.none());
      trained = r.checkpoint();
    }
    OnnxExporter.builder().build().export(trained, trained.resolve("onnx"));
    List<String> texts = List.of("this is a chest x ray of a patient with edema", "no finding");
    Embeddings[] reference = encode(trainer, trained, texts);
    for (String backend : List.of(other, "onnx")) {
      Embeddings[] theirs = encode(backend, trained, texts);
      for (int k = 0; k < 2; k++) {
        assertThat(maxAbsDiff(theirs[k], reference[k])).as(backend + (k == 0 ? " images" : " texts"))
            .isLessThan(TOLERANCE);
      }
    }
  }

  private static Embeddings[] encode(String backend, Path checkpoint, List<String> texts) throws Exception {
    try (Backend b = Backends.open(Capability.INFERENCE, backend, BackendOptions.defaults());
        CleftModel model = b.load(checkpoint)) {
      int size = model.imageEncoder().inputSize();
      float[] pixels = new float[4 * 3 * size * size];
      Random r = new Random(3);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) r.nextGaussian();
      }
      ImageBatch images = new ImageBatch(pixels, 4, 3, size, size);
      return new Embeddings[] {model.imageEncoder().encode(images), model.textEncoder().encodeTexts(texts)};
    }
  }

  private static double maxAbsDiff(Embeddings a, Embeddings b) {
    double d = 0;
    for (int i = 0; i < a.data().length; i++) {
      d = Math.max(d, Math.abs(a.data()[i] - b.data()[i]));
    }
    return d;
  }
}
