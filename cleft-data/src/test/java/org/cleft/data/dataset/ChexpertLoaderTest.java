package org.cleft.data.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.RowRejectedException;
import org.cleft.data.manifest.Sample;
import org.cleft.data.manifest.SkipReason;
import org.cleft.data.manifest.UncertainPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChexpertLoaderTest {
  @TempDir
  Path dir;

  private static final String HEADER = String.join(",", ChexpertClasses.METADATA) + ","
      + String.join(",", ChexpertClasses.FOURTEEN);

  /** A row: the 14 labels given as "name=value" pairs, the rest blank. */
  private static String row(String path, String view, String apPa, String... labels) {
    String[] cells = new String[14];
    java.util.Arrays.fill(cells, "");
    for (String l : labels) {
      String[] kv = l.split("=");
      cells[ChexpertClasses.FOURTEEN.indexOf(kv[0])] = kv[1];
    }
    return path + ",Female,68," + view + "," + apPa + "," + String.join(",", cells);
  }

  private Path officialLayout() throws IOException {
    // The real download: CheXpert-v1.0-small/train.csv with paths starting CheXpert-v1.0-small/train/...
    Path root = dir.resolve("CheXpert-v1.0-small");
    for (int i = 1; i <= 4; i++) {
      TestImages.write(root.resolve("train/patient0000" + i + "/study1/view1_frontal.jpg"), "jpg");
    }
    String p = "CheXpert-v1.0-small/train/patient0000";
    return Files.writeString(root.resolve("train.csv"), String.join("\n", HEADER,
        row(p + "1/study1/view1_frontal.jpg", "Frontal", "PA", "Pleural Effusion=1.0", "Consolidation=1.0", "Edema=0.0"),
        row(p + "2/study1/view1_frontal.jpg", "Frontal", "AP", "Cardiomegaly=-1.0", "Support Devices=1.0"),
        row(p + "3/study1/view2_lateral.jpg", "Lateral", "", "Edema=1.0"),
        row(p + "9/study1/view1_frontal.jpg", "Frontal", "AP", "Edema=1.0"),
        row(p + "4/study1/view1_frontal.jpg", "Frontal", "AP", "Atelectasis=2"),
        row(p + "3/study1/view1_frontal.jpg", "Frontal", "PA", "No Finding=1.0")) + "\n");
  }

  @Test
  void fiveClassWithReferenceCaptionsViewFilterAndSkips() throws IOException {
    LoadedDataset ds = ChexpertLoader.fiveClass().load(officialLayout());
    assertThat(ds.classNames()).containsExactly("Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion");
    assertThat(ds.samples()).extracting(Sample::row).containsExactly(2, 3, 7);
    Sample first = ds.samples().get(0);
    assertThat(first.text()).isEqualTo("this is a chest x ray of a patient with consolidation pleural effusion");
    assertThat(first.labels()).containsExactly(0f, 0f, 1f, 0f, 1f);
    assertThat(first.image()).isRegularFile();
    assertThat(ds.samples().get(1).labels()).containsExactly(0f, 0f, 0f, 0f, 0f); // -1 -> 0 by default
    assertThat(ds.samples().get(2).text()).isEqualTo("this is a chest x ray of a patient with no finding");
    assertThat(ds.skips().rows()).extracting(r -> r.row() + " " + r.kind())
        .containsExactly("5 MISSING_FILE", "6 INVALID_LABEL");
    assertThat(ds.skips().excluded()).containsEntry("view Lateral", 1);
  }

  @Test
  void fourteenClassWithUncertainAsOnes() throws IOException {
    LoadedDataset ds = ChexpertLoader.fourteenClass().withUncertain(UncertainPolicy.ONES).load(officialLayout());
    assertThat(ds.classNames()).hasSize(14);
    Sample second = ds.samples().get(1);
    assertThat(second.text()).isEqualTo("this is a chest x ray of a patient with cardiomegaly support devices");
    assertThat(ds.positivesPerClass()[ChexpertClasses.FOURTEEN.indexOf("No Finding")]).isEqualTo(1);
  }

  @Test
  void failFastStopsAtTheMissingImage() throws IOException {
    Path csv = officialLayout();
    assertThatThrownBy(() -> ChexpertLoader.fiveClass().withPolicy(RowPolicy.FAIL_FAST).load(csv))
        .isInstanceOf(RowRejectedException.class).hasMessageContaining("train.csv: row 5: MISSING_FILE")
        .hasMessageContaining("patient00009");
  }

  @Test
  void fiveByTwoHundredNeedsExactlyOnePositive() throws IOException {
    Path csv = officialLayout();
    LoadedDataset ds = ChexpertLoader.loadFiveByTwoHundred(csv, RowPolicy.SKIP);
    assertThat(ds.samples()).isEmpty(); // row 2 has two positives, rows 3 and 7 none, row 6 an invalid label
    assertThat(ds.skips().count(SkipReason.INVALID_LABEL)).isEqualTo(4);
    assertThat(ds.skips().count(SkipReason.MISSING_FILE)).isEqualTo(2);
  }

  @Test
  void dataFractionIsSeededAndNested() {
    List<Integer> items = IntStream.range(0, 1000).boxed().toList();
    List<Integer> one = DataFraction.sample(items, 0.01, 42);
    List<Integer> ten = DataFraction.sample(items, 0.10, 42);
    assertThat(one).hasSize(10).isEqualTo(DataFraction.sample(items, 0.01, 42)).isSorted();
    assertThat(ten).hasSize(100).containsAll(one);
    assertThat(DataFraction.sample(items, 1.0, 42)).isEqualTo(items);
    assertThat(DataFraction.sample(items, 0.01, 43)).isNotEqualTo(one);
    assertThatThrownBy(() -> DataFraction.sample(items, 0, 1)).hasMessageContaining("(0, 1]");
  }

  @Test
  void fractionLeavesTheRestCountedAsExcluded() throws IOException {
    LoadedDataset ds = ChexpertLoader.fiveClass().withFraction(0.5, 7).load(officialLayout());
    assertThat(ds.samples()).hasSize(2);
    assertThat(ds.skips().excluded().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
  }
}
