package org.cleft.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.cleft.data.dataset.ChexpertLoader;
import org.cleft.data.image.UInt8Image;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestLoader;
import org.cleft.data.manifest.ManifestSpec;
import org.cleft.data.manifest.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticChestXraysTest {
  @TempDir
  Path dir;

  private final ChestXrayGenerator generator = new ChestXrayGenerator(128, 0.3);

  @Test
  void sameSeedSameImageOtherSeedOtherImage() {
    assertThat(generator.random(11)).isEqualTo(generator.random(11));
    assertThat(generator.random(11).image()).isNotEqualTo(generator.random(12).image());
  }

  /** Width of the bright run through the image centre on the heart's row, averaged over seeds. */
  private double measuredHeartWidth(Set<Finding> findings) {
    double total = 0;
    for (int seed = 0; seed < 10; seed++) {
      UInt8Image img = generator.generate(findings, seed).image();
      int y = (int) (0.62 * img.height());
      int width = 0;
      for (int x = 0; x < img.width(); x++) {
        double mean = 0;
        for (int dy = -2; dy <= 2; dy++) {
          mean += img.get(x, y + dy, 0) / 5.0;
        }
        boolean lungDark = mean < 100;
        boolean inside = x > img.width() * 0.15 && x < img.width() * 0.85;
        width += inside && !lungDark ? 1 : 0;
      }
      total += width;
    }
    return total / 10;
  }

  @Test
  void cardiomegalyWidensTheMeasuredHeart() {
    double normal = measuredHeartWidth(Set.of());
    double enlarged = measuredHeartWidth(Set.of(Finding.CARDIOMEGALY));
    assertThat(enlarged).isGreaterThan(normal * 1.3);
    assertThat(generator.generate(Set.of(Finding.CARDIOMEGALY), 3).heartHalfWidth())
        .isGreaterThan(generator.generate(Set.of(), 3).heartHalfWidth() + 0.05);
  }

  /** Mean brightness of the lower third of the lung fields. */
  private double lowerLungBrightness(Set<Finding> findings, int seed) {
    SyntheticCase c = generator.generate(findings, seed);
    UInt8Image img = c.image();
    double sum = 0;
    int n = 0;
    for (int y = (int) (0.50 * img.height()); y < (int) (0.64 * img.height()); y++) {
      for (int x = (int) (0.18 * img.width()); x < (int) (0.30 * img.width()); x++) {
        sum += img.get(x, y, 0) + img.get(img.width() - 1 - x, y, 0);
        n += 2;
      }
    }
    return sum / n;
  }

  @Test
  void effusionAndEdemaBrightenTheLungs() {
    for (int seed = 0; seed < 5; seed++) {
      double clear = lowerLungBrightness(Set.of(), seed);
      assertThat(lowerLungBrightness(Set.of(Finding.PLEURAL_EFFUSION), seed)).isGreaterThan(clear + 15);
      assertThat(lowerLungBrightness(Set.of(Finding.EDEMA), seed)).isGreaterThan(clear + 8);
    }
  }

  @Test
  void writtenSetIsReadByTheChexpertLoaderWithMatchingLabels() throws Exception {
    SyntheticChestXrays.write(dir, 40, 10, 3, generator);
    LoadedDataset train = ChexpertLoader.fiveClass().load(dir.resolve("train.csv"));
    assertThat(train.samples()).hasSize(40);
    assertThat(train.skips().count()).isZero();
    assertThat(ChexpertLoader.fiveClass().load(dir.resolve("valid.csv")).samples()).hasSize(10);
    for (int i = 0; i < 40; i++) {
      Sample s = train.samples().get(i);
      Set<Finding> drawn = generator.random(3 * 1_000_003L + i + 1).findings();
      float[] l = s.labels();
      for (Finding f : Finding.values()) {
        assertThat(l[f.ordinal()]).as("sample %d %s", i, f).isEqualTo(drawn.contains(f) ? 1f : 0f);
      }
      assertThat(s.text()).startsWith("this is a chest x ray of a patient with ");
    }
    assertThat(java.util.Arrays.stream(train.positivesPerClass()).min().getAsInt()).isPositive();
    LoadedDataset manifest = new ManifestLoader(ManifestSpec.of("path", "report", "Atelectasis", "Cardiomegaly",
        "Consolidation", "Edema", "Pleural Effusion")).load(dir.resolve("train_manifest.csv"));
    assertThat(manifest.samples()).extracting(Sample::text)
        .containsExactlyElementsOf(train.samples().stream().map(Sample::text).toList());
    assertThat(Files.readAllBytes(dir.resolve("train/patient00001/study1/view1_frontal.png")))
        .isEqualTo(Files.readAllBytes(SyntheticChestXrays.write(dir.resolve("again"), 1, 0, 3, generator)
            .resolve("train/patient00001/study1/view1_frontal.png")));
    assertThat(EnumSet.allOf(Finding.class)).hasSize(5);
  }
}
