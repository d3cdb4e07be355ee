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
    assertThat(out()).contains("usable samples: 12").contains("  Cardiomegaly: ").contains("skipped rows: 0")
        .contains("duplicate images: 0");
    try (var files = Files.list(pngs)) {
      assertThat(files.count()).isEqualTo(3);
    }
    assertThat(err()).contains("decoding images [####################] 12/12").doesNotContain("cleft data inspect:");
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
    assertThat(run("--manifest", manifest.toString())).isEqualTo(1);
    assertThat(err()).contains("no usable sample");
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
  void damagedFilesAreNamedDuplicatesFlaggedAndTheExitCodeSaysSo() throws Exception {
    Path good = dir.resolve("good.png");
    SyntheticChestXrays.writePng(new ChestXrayGenerator(32, 0).generate(java.util.EnumSet.noneOf(
        org.cleft.data.synthetic.Finding.class), 1).image(), good);
    // a 16-bit PNG whose samples are 0x12xx: its preview must hold the high byte, 0x12
    java.awt.image.BufferedImage wide = new java.awt.image.BufferedImage(8, 8,
        java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        wide.getRaster().setSample(x, y, 0, 0x1234 + x);
      }
    }
    javax.imageio.ImageIO.write(wide, "png", dir.resolve("wide16.png").toFile());
    byte[] bytes = Files.readAllBytes(good);
    bytes[bytes.length - 20] ^= 0x55; // inside IDAT: the chunk's CRC no longer matches
    Files.write(dir.resolve("badcrc.png"), bytes);
    Files.write(dir.resolve("bomb.png"), bombPng(46_000, 46_000));
    Path dicom = new DicomWriter(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).grey8(64, 64, new byte[64 * 64])
        .write(dir.resolve("cut.dcm"));
    byte[] whole = Files.readAllBytes(dicom);
    Files.write(dicom, java.util.Arrays.copyOf(whole, whole.length - 1000));
    Path manifest = Files.write(dir.resolve("m.csv"), List.of("path,report", "good.png,a", "wide16.png,b",
        "badcrc.png,c", "bomb.png,d", "cut.dcm,e", "good.png,again"));
    Path previews = dir.resolve("previews");
    assertThat(run("--manifest", manifest.toString(), "--out", previews.toString(), "--samples", "3")).isEqualTo(1);
    assertThat(out()).contains("usable samples: 3").contains("skipped rows: 3")
        .contains("row 4: UNREADABLE_IMAGE").contains("badcrc.png").contains("CRC mismatch")
        .contains("row 5: UNREADABLE_IMAGE").contains("bomb.png").contains("exceeds the limit")
        .contains("row 6: UNREADABLE_IMAGE").contains("cut.dcm").contains("truncated")
        .contains("duplicate images: 1").contains("row 7: same image as row 2");
    assertThat(err()).contains("3 unusable row(s)");
    java.awt.image.BufferedImage preview = javax.imageio.ImageIO.read(previews.resolve("sample-002.png").toFile());
    assertThat(preview.getRaster().getSample(3, 3, 0)).isEqualTo(0x12);
  }

  @Test
  void quickSkipsDecoding() throws Exception {
    Files.write(dir.resolve("bomb.png"), bombPng(46_000, 46_000));
    Path manifest = Files.write(dir.resolve("q.csv"), List.of("path,report", "bomb.png,d"));
    assertThat(run("--manifest", manifest.toString(), "--quick")).isZero();
    assertThat(out()).contains("usable samples: 1 (images not decoded: --quick)");
  }

  /** A PNG whose header announces width x height pixels, with valid chunks and almost no data. */
  static byte[] bombPng(int width, int height) throws Exception {
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    java.util.zip.Deflater deflater = new java.util.zip.Deflater();
    deflater.setInput(new byte[1000]);
    deflater.finish();
    byte[] idat = new byte[100];
    int n = deflater.deflate(idat);
    chunk(png, "IDAT", java.util.Arrays.copyOf(idat, n));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws Exception {
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
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
