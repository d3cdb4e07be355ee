package org.cleft.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cleft.testkit.TinyReference;
import org.cleft.api.Classification;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/** One model and one classifier shared by eight threads give exactly the answers one thread gets. */
class OnnxConcurrencyTest {
  static final int THREADS = 8;
  static final int ROUNDS = 40;
  static final String TEMPLATE = "this is a chest x ray of a patient with {}";

  @Test
  void eightThreadsGetTheSameAnswersAsOne() throws Exception {
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults());
        OnnxCleftModel model = backend.load(Fixtures.tiny())) {
      OnnxZeroShotClassifier classifier = model.zeroShot(TinyReference.strings("class_names"), TEMPLATE);
      ImageBatch batch = TinyReference.pixels();
      List<String> texts = TinyReference.strings("texts");
      // the single-thread answers: the batch, each image alone, the captions
      Classification wholeBatch = classifier.classify(batch);
      List<Classification> single = new ArrayList<>();
      for (int i = 0; i < batch.batch(); i++) {
        single.add(classifier.classify(batch.slice(i, i + 1)));
      }
      Embeddings captions = model.textEncoder().encodeTexts(texts);

      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      try {
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(pool.submit(() -> {
            start.await();
            int checked = 0;
            for (int r = 0; r < ROUNDS; r++) {
              int i = (thread + r) % batch.batch();
              assertSame(single.get(i), classifier.classify(batch.slice(i, i + 1)));
              assertSame(wholeBatch, classifier.classify(batch));
              assertThat(model.textEncoder().encodeTexts(texts)).isEqualTo(captions);
              checked += 3;
            }
            return checked;
          }));
        }
        start.countDown();
        for (Future<Integer> f : results) {
          assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(3 * ROUNDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(model.liveNativeValues()).isZero();
    }
  }

  private static void assertSame(Classification expected, Classification actual) {
    assertThat(actual.classNames()).isEqualTo(expected.classNames());
    assertThat(actual.logits()).isDeepEqualTo(expected.logits());
    assertThat(actual.probabilities()).isDeepEqualTo(expected.probabilities());
  }
}
