package org.cleft.data.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleft.data.dicom.DicomWriter;
import org.cleft.data.dicom.TransferSyntax;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetInspectorTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int run(String... args) {
    return new DatasetInspector().run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
        new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void chexpertSyntheticSetLoadsAndSamplesAreWritten() throws Exception {
    Path root = SyntheticChestXrays.write(dir.resolve("syn"), 12, 2, 1, new ChestXrayGenerator(64, 0.4));
    Path pngs = dir.resolve("pngs");
    assertThat(run("--dataset", "chexpert", "--root", root.toString(), "--out", pngs.toString(), "--samples", "3"))
        .isZero();
    assertThat(out()).contains("usable samples: 12").contains("  Cardiomegaly: ").contains("skipped rows: 0");
    try (var files = Files.list(pngs)) {
      assertThat(files.count()).isEqualTo(3);
    }
    assertThat(err()).isEmpty();
  }

  @Test
  void manyBadRowsAreSummarised() throws Exception {
    List<String> lines = new ArrayList<>(List.of("path,report"));
    for (int i = 0; i < 25; i++) {
      lines.add("missing" + i + ".png,text");
    }
    lines.add("x.png,");
    Files.writeString(dir.resolve("x.png"), "not an image");
    lines.add("x.png,unreadable");
    Path manifest = Files.write(dir.resolve("m.csv"), lines);
    assertThat(run("--manifest", manifest.toString())).isZero();
    assertThat(out()).contains("usable samples: 0").contains("skipped rows: 27").contains("  MISSING_FILE: 25")
        .contains("  EMPTY_REPORT: 1").contains("  UNREADABLE_IMAGE: 1").contains("first 20:")
        .contains("row 21: MISSING_FILE").doesNotContain("row 22: MISSING_FILE");
  }

  @Test
  void rsnaDicomImagesAreDecodedToPng() throws Exception {
    Path root = dir.resolve("rsna");
    new DicomWriter(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).grey8(8, 8, new byte[64])
        .write(root.resolve("stage_2_train_images/p1.dcm"));
    Files.writeString(root.resolve("stage_2_train_labels.csv"), "patientId,x,y,width,height,Target\np1,1,2,3,4,1\n");
    assertThat(run("--dataset", "rsna", "--root", root.toString(), "--out", dir.resolve("o").toString())).isZero();
    assertThat(out()).contains("usable samples: 1").contains("  Pneumonia: 1").contains("sample-001.png");
    assertThat(dir.resolve("o/sample-001.png")).isRegularFile();
  }

  @Test
  void unloadableDataGivesOneClearLineAndExitCodeOne() throws Exception {
    assertThat(run("--dataset", "chexpert", "--root", dir.resolve("nope").toString())).isEqualTo(1);
    assertThat(err().lines()).hasSize(1).first().asString().contains("nope").contains("is not a folder");
    errBytes.reset();
    assertThat(run("--dataset", "chexpert", "--root", dir.toString())).isEqualTo(1);
    assertThat(err().lines()).hasSize(1).first().asString().contains("train.csv: file not found");
  }

  @Test
  void badArgumentsGiveUsageAndExitCodeTwo() {
    assertThat(run("--dataset", "chexpert")).isEqualTo(2);
    assertThat(err()).contains("usage:");
    assertThat(run("stray")).isEqualTo(2);
  }
}
