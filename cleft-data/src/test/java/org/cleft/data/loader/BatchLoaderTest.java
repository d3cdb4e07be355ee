package org.cleft.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.cleft.data.image.UInt8Image;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

  private static UInt8Image noise(int seed, int w, int h) {
    byte[] data = new byte[w * h];
    SplittableRandom r = new SplittableRandom(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        data[y * w + x] = (byte) (y < h / 10 ? 0 : 60 + r.nextInt(150));
      }
    }
    return new UInt8Image(w, h, 1, data);
  }

  private static SampleSource source(int n, int failing) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int seed = i;
      ImageSource image = seed == failing ? () -> {
        throw new IllegalArgumentException("broken image " + seed);
      } : () -> noise(seed, 120 + seed % 7, 100 + seed % 5);
      samples.add(new Sample(image, "this is a chest x ray of " + i, new float[] {i % 2, 1}));
    }
    return SampleSource.of(samples);
  }

  private static List<Batch> all(BatchLoader loader, int epoch) {
    List<Batch> out = new ArrayList<>();
    loader.epoch(epoch).forEachRemaining(out::add);
    return out;
  }

  private static BatchLoader.Builder builder(SampleSource source, int threads) {
    return BatchLoader.builder(source, ImagePipeline.training()).optBatchSize(4).optThreads(threads).optSeed(9);
  }

  @Test
  void sameSeedAndEpochGiveTheSameBatchesWithAnyThreadCount() {
    SampleSource source = source(10, -1);
    List<Batch> one;
    List<Batch> three;
    List<Batch> otherEpoch;
    try (BatchLoader a = builder(source, 1).build(); BatchLoader b = builder(source, 3).optPrefetchBatches(1).build()) {
      one = all(a, 2);
      three = all(b, 2);
      otherEpoch = all(b, 3);
    }
    assertThat(one).hasSize(3);
    assertThat(one.get(2).size()).isEqualTo(2);
    for (int i = 0; i < one.size(); i++) {
      assertThat(three.get(i).indices()).containsExactly(one.get(i).indices());
      assertThat(three.get(i).images()).isEqualTo(one.get(i).images());
      assertThat(three.get(i).labels()).containsExactly(one.get(i).labels());
    }
    assertThat(otherEpoch.get(0).images()).isNotEqualTo(one.get(0).images());
    assertThat(one.get(0).images().shape()).containsExactly(4, 3, 224, 224);
    List<Integer> seen = new ArrayList<>();
    one.forEach(batch -> { for (int i : batch.indices()) { seen.add(i); } });
    assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9).isNotEqualTo(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
  }

  @Test
  void collatesTokensAndLabels() {
    try (HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.tiny().resolve("text"));
        BatchLoader loader = BatchLoader.builder(source(5, -1), ImagePipeline.evaluation()).optBatchSize(5)
            .optShuffle(false).optDropLast(true).optTokenizer(tokenizer).optMaxTokens(16).optThreads(2).build()) {
      Batch batch = all(loader, 0).get(0);
      assertThat(batch.indices()).containsExactly(0, 1, 2, 3, 4);
      assertThat(batch.tokens()).isPresent();
      assertThat(batch.tokens().get().shape()).containsExactly(5, 16);
      assertThat(batch.tokens().get().ids()[0]).isEqualTo(5661); // "this"
      assertThat(batch.numLabels()).isEqualTo(2);
      assertThat(batch.labels()).containsExactly(0, 1, 1, 1, 0, 1, 1, 1, 0, 1);
    }
  }

  @Test
  void workerFailureSurfacesWithTheSampleIndexUnderStop() {
    try (BatchLoader loader = builder(source(12, 6), 2).optShuffle(false).optBadSamples(BadSamplePolicy.STOP).build()) {
      Iterator<Batch> batches = loader.epoch(0);
      assertThat(batches.next().indices()).containsExactly(0, 1, 2, 3);
      assertThatThrownBy(batches::next).isInstanceOf(SampleLoadException.class)
          .hasMessageContaining("sample 6").hasRootCauseMessage("broken image 6")
          .satisfies(e -> assertThat(((SampleLoadException) e).index()).isEqualTo(6));
      assertThat(batches.hasNext()).isFalse();
    }
  }

  @Test
  void anUndecodableSampleIsLeftOutCountedAndNamedUnderSkip() {
    try (BatchLoader loader = builder(source(12, 6), 2).optShuffle(false).build()) {
      List<Batch> batches = all(loader, 0);
      assertThat(batches).hasSize(3);
      assertThat(batches.get(1).indices()).containsExactly(4, 5, 7);
      assertThat(batches.get(1).images().batch()).isEqualTo(3);
      assertThat(batches.get(2).indices()).containsExactly(8, 9, 10, 11);
      all(loader, 1);
      assertThat(loader.skippedSamples().count()).isEqualTo(2);
      assertThat(loader.skippedSamples().samples()).singleElement().asString().contains("sample 6", "broken image 6");
    }
  }

  @Test
  void aBatchLeftWithoutSamplesIsPassedOver() {
    try (BatchLoader loader = builder(source(5, 2), 2).optBatchSize(1).optShuffle(false).build()) {
      List<Batch> batches = all(loader, 0);
      assertThat(batches).extracting(b -> b.indices()[0]).containsExactly(0, 1, 3, 4);
      assertThat(loader.skippedSamples().count()).isEqualTo(1);
    }
  }

  @Test
  void aFailureThatIsNotTheDatasStopsEvenUnderSkip() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int seed = i;
      samples.add(new Sample(seed == 1 ? () -> {
        throw new IllegalStateException("a bug in a pipeline");
      } : () -> noise(seed, 120, 100), "text", new float[] {1}));
    }
    try (BatchLoader loader = builder(SampleSource.of(samples), 1).optShuffle(false).build()) {
      assertThatThrownBy(() -> all(loader, 0)).isInstanceOf(SampleLoadException.class)
          .hasRootCauseMessage("a bug in a pipeline");
      assertThat(loader.skippedSamples().count()).isZero();
    }
  }

  @Test
  void closeStopsTheThreadsAndIsIdempotent() throws InterruptedException {
    BatchLoader loader = builder(source(8, -1), 2).build();
    Iterator<Batch> batches = loader.epoch(0);
    batches.next();
    String prefix = loader.threadPrefix();
    loader.close();
    loader.close();
    assertThat(liveThreads(prefix)).isZero();
    assertThatThrownBy(() -> loader.epoch(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(batches::next).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> builder(source(2, -1), 0).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads");
    assertThatThrownBy(() -> builder(source(2, -1), 1).optBatchSize(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
  }

  private static long liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
  }
}
