package org.cleft.data.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleft.data.dicom.DicomReader;
import org.cleft.data.dicom.DicomWriter;
import org.cleft.data.dicom.TransferSyntax;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.RowPolicy;
import org.cleft.data.manifest.Sample;
import org.cleft.data.manifest.SkipReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RSNA pneumonia, EMBED and MIMIC-CXR loaders on small samples written by the test. */
class OtherLoadersTest {
  @TempDir
  Path dir;

  private Path dicom(Path file) {
    return new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).grey8(4, 4, new byte[16]).write(file);
  }

  @Test
  void rsnaGroupsBoxesPerPatientAndSplitsBalanced() throws IOException {
    Path images = dir.resolve("stage_2_train_images");
    List<String> lines = new ArrayList<>(List.of("patientId,x,y,width,height,Target"));
    for (int i = 0; i < 30; i++) {
      boolean positive = i % 3 == 0; // 10 positives, 20 negatives
      if (i != 29) {
        dicom(images.resolve("pat" + i + ".dcm"));
      }
      lines.add("pat" + i + (positive ? ",10,20,30,40,1" : ",,,,,0"));
      if (positive) {
        lines.add("pat" + i + ",50,60,30,40,1"); // a second box
      }
    }
    lines.add("pat3,,,,,maybe");
    Path csv = Files.write(dir.resolve("stage_2_train_labels.csv"), lines);
    LoadedDataset ds = new RsnaPneumoniaLoader(RowPolicy.SKIP).load(csv, images);
    assertThat(ds.samples()).hasSize(29);
    assertThat(ds.positivesPerClass()).containsExactly(10);
    assertThat(ds.samples().get(0).text()).isEqualTo("this is a chest x ray of a patient with pneumonia");
    assertThat(ds.samples().get(1).text()).isEqualTo("this is a chest x ray of a patient with no finding");
    assertThat(ds.skips().rows()).extracting(r -> r.kind() + " " + r.row())
        .containsExactly("INVALID_LABEL " + lines.size(), "MISSING_FILE " + (lines.size() - 1));
    assertThat(new DicomReader().read(ds.samples().get(0).image()).width()).isEqualTo(4);

    BalancedSplit split = BalancedSplit.of(ds.samples(), 0.6, 0.2, 1);
    assertThat(split.train()).hasSize(12);
    assertThat(split.valid()).hasSize(4);
    assertThat(split.test()).hasSize(4);
    for (List<Sample> part : List.of(split.train(), split.valid(), split.test())) {
      assertThat(part.stream().filter(s -> s.labels()[0] == 1f).count()).isEqualTo(part.size() / 2);
    }
    assertThat(BalancedSplit.of(ds.samples(), 0.6, 0.2, 1)).isEqualTo(split);
  }

  @Test
  void embedJoinsMetadataAndClinicalForBothTasks() throws IOException {
    dicom(dir.resolve("images/cohort_1/a/1.dcm"));
    dicom(dir.resolve("images/cohort_1/a/2.dcm"));
    dicom(dir.resolve("images/cohort_1/b/3.dcm"));
    dicom(dir.resolve("images/cohort_1/c/4.dcm"));
    String prefix = "/mnt/NAS2/mammo/anon_dicom/";
    Path meta = Files.writeString(dir.resolve("EMBED_OpenData_metadata.csv"), String.join("\n",
        "anon_dicom_path,empi_anon,acc_anon,side,ViewPosition",
        prefix + "cohort_1/a/1.dcm,100,9001,L,CC",
        prefix + "cohort_1/a/2.dcm,100,9001,R,CC",
        prefix + "cohort_1/b/3.dcm,200,9002,L,MLO",
        prefix + "cohort_1/c/4.dcm,300,9003,R,CC",
        prefix + "cohort_1/d/5.dcm,400,9004,L,CC",
        prefix + "cohort_1/e/6.dcm,999,9999,L,CC") + "\n");
    Path clinical = Files.writeString(dir.resolve("EMBED_OpenData_clinical.csv"), String.join("\n",
        "empi_anon,acc_anon,side,asses,tissueden",
        "100,9001,L,S,3",
        "100,9001,R,N,3",
        "200,9002,B,K,",
        "300,9003,R,X,5",
        "400,9004,L,A,1") + "\n");
    LoadedDataset birads = new EmbedLoader(EmbedTask.BIRADS, RowPolicy.SKIP, prefix).load(meta, clinical, dir.resolve("images"));
    assertThat(birads.classNames()).hasSize(7);
    assertThat(birads.samples()).extracting(Sample::row).containsExactly(2, 3, 4);
    assertThat(birads.samples().get(0).labels()[4]).isEqualTo(1f); // S = 4
    assertThat(birads.samples().get(1).labels()[1]).isEqualTo(1f); // N = 1
    assertThat(birads.samples().get(2).labels()[6]).isEqualTo(1f); // K = 6, bilateral row
    assertThat(birads.samples().get(0).text()).isEqualTo("this is a mammogram of a patient with bi-rads 4");
    assertThat(birads.skips().rows()).extracting(r -> r.row() + " " + r.kind())
        .containsExactly("5 INVALID_LABEL", "6 MISSING_FILE", "7 NO_MATCH");

    LoadedDataset density = new EmbedLoader(EmbedTask.DENSITY, RowPolicy.SKIP, prefix).load(meta, clinical, dir.resolve("images"));
    assertThat(density.classNames()).hasSize(4);
    assertThat(density.samples()).extracting(Sample::row).containsExactly(2, 3);
    assertThat(density.samples().get(0).labels()).containsExactly(0f, 0f, 1f, 0f);
    assertThat(density.skips().countsByKind()).containsEntry(SkipReason.MISSING_LABEL, 1)
        .containsEntry(SkipReason.INVALID_LABEL, 1).containsEntry(SkipReason.MISSING_FILE, 1)
        .containsEntry(SkipReason.NO_MATCH, 1);
  }

  @Test
  void mimicUsesFindingsAndImpressionElseWholeReport() throws IOException {
    Path files = dir.resolve("files");
    Path p = files.resolve("p10/p10000032");
    TestImages.write(p.resolve("s50414267/02aa804e.jpg"), "jpg");
    TestImages.write(p.resolve("s50414267/174413ec.jpg"), "jpg");
    TestImages.write(p.resolve("s53189527/2a2277a9.jpg"), "jpg");
    TestImages.write(p.resolve("s56699142/ea030e7a.jpg"), "jpg");
    TestImages.write(p.resolve("s57000000/ffffffff.jpg"), "jpg");
    Files.writeString(p.resolve("s50414267.txt"), String.join("\n",
        "                                 FINAL REPORT",
        " EXAMINATION:  CHEST (PA AND LAT)",
        " INDICATION:  F with cough",
        " FINDINGS: ",
        " ",
        " There is no focal consolidation, pleural effusion or pneumothorax.",
        "  Heart size is normal.",
        " ",
        " IMPRESSION: ",
        " ",
        " No acute cardiopulmonary process."));
    Files.writeString(p.resolve("s53189527.txt"), "Lungs are clear.\nNo effusion.\n");
    Files.createDirectories(dir.resolve("reports/files/p10/p10000032"));
    Files.writeString(dir.resolve("reports/files/p10/p10000032/s56699142.txt"), "  \n");
    LoadedDataset ds = new MimicCxrLoader(RowPolicy.SKIP).load(files, dir.resolve("reports/files"));
    assertThat(ds.samples()).hasSize(3);
    assertThat(ds.samples().get(0).text()).isEqualTo("There is no focal consolidation, pleural effusion or "
        + "pneumothorax. Heart size is normal. No acute cardiopulmonary process.");
    assertThat(ds.samples().get(1).text()).isEqualTo(ds.samples().get(0).text());
    assertThat(ds.samples().get(2).text()).isEqualTo("Lungs are clear. No effusion.");
    assertThat(ds.skips().rows()).extracting(SkippedRow -> SkippedRow.kind())
        .containsExactly(SkipReason.EMPTY_REPORT, SkipReason.MISSING_FILE);
  }
}
