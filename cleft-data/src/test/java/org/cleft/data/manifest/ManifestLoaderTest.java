package org.cleft.data.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest with one bad row of each kind gives exact counts and messages under both policies. */
class ManifestLoaderTest {
  @TempDir
  Path dir;

  private static final Function<Path, BufferedImage> DECODE = p -> {
    try {
      BufferedImage img = ImageIO.read(p.toFile());
      if (img == null) {
        throw new IllegalArgumentException("not a PNG/JPEG image");
      }
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  };

  @BeforeEach
  void images() throws IOException {
    Files.createDirectories(dir.resolve("img"));
    for (String name : new String[] {"a.png", "b.png", "c.png"}) {
      ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("img").resolve(name).toFile());
    }
    Files.writeString(dir.resolve("img/broken.png"), "this is not a png");
  }

  private Path csv() throws IOException {
    return Files.writeString(dir.resolve("m.csv"), String.join("\r\n",
        "path,report,Edema,Cardiomegaly",
        "img/a.png,clear lungs,0,1",
        "img/missing.png,some report,0,0",
        "img/broken.png,some report,1,0",
        "img/a.png,  ,0,0",
        "img/b.png,effusion,2,0",
        "img/b.png,uncertain edema,-1,",
        "img/c.png,\"multi-line, \"\"quoted\"\"",
        "report\",1.0,0.0",
        "img/c.png,too,many,fields,here",
        ""));
  }

  @Test
  void aByteThatIsNotUtf8IsNamedWithItsLineAndOffset() throws Exception {
    Path m = dir.resolve("latin1.csv");
    byte[] head = "path,report\na.png,ok\nb.png,pleural effusion \u2014 small\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bad = "c.png,caf".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.write(head);
    bytes.write(bad);
    bytes.write(0xE9); // Latin-1 e-acute
    bytes.write('\n');
    Files.write(m, bytes.toByteArray());
    int offset = head.length + bad.length;
    Path jsonl = dir.resolve("latin1.jsonl");
    java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
    json.write("{\"path\": \"a.png\", \"report\": \"x\"}\n{\"path\": \"caf".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    json.write(0xE9);
    json.write("\"}\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Files.write(jsonl, json.toByteArray());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ManifestLoader(ManifestSpec.of("path", "report")).load(m))
        .isInstanceOf(ManifestFormatException.class).hasMessageContaining("line 4")
        .hasMessageContaining("byte offset " + offset).hasMessageContaining("E9").hasMessageContaining("UTF-8");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ManifestLoader(ManifestSpec.of("path", "report"))
        .load(jsonl)).isInstanceOf(ManifestFormatException.class).hasMessageContaining("line 2");
  }

  @Test
  void skipPolicyCountsEveryBadRow() throws IOException {
    LoadedDataset ds = new ManifestLoader(ManifestSpec.of("path", "report", "Edema", "Cardiomegaly"), DECODE).load(csv());
    assertThat(ds.samples()).extracting(Sample::row).containsExactly(2, 7, 8);
    assertThat(ds.samples().get(1).labels()).containsExactly(0f, 0f);
    assertThat(ds.samples().get(2).text()).isEqualTo("multi-line, \"quoted\"\r\nreport");
    assertThat(ds.samples().get(2).labels()).containsExactly(1f, 0f);
    assertThat(ds.samples().get(0).image()).isEqualTo(dir.resolve("img/a.png").toAbsolutePath());
    SkipReport skips = ds.skips();
    assertThat(skips.count()).isEqualTo(5);
    assertThat(skips.rows()).extracting(SkippedRow::row).containsExactly(3, 4, 5, 6, 10);
    assertThat(skips.rows()).extracting(SkippedRow::kind).containsExactly(SkipReason.MISSING_FILE,
        SkipReason.UNREADABLE_IMAGE, SkipReason.EMPTY_REPORT, SkipReason.INVALID_LABEL, SkipReason.MALFORMED_ROW);
    assertThat(skips.rows().get(0).reason()).contains("missing.png");
    assertThat(skips.rows().get(1).reason()).contains("broken.png").contains("not a PNG/JPEG image");
    assertThat(skips.rows().get(2).reason()).contains("'report'");
    assertThat(skips.rows().get(3).reason()).contains("'Edema'").contains("'2'");
    assertThat(skips.rows().get(4).reason()).contains("5 fields").contains("header has 4");
    assertThat(skips.summary(20)).contains("5 row(s) skipped").contains("row 6: INVALID_LABEL");
    assertThat(ds.positivesPerClass()).containsExactly(1, 1);
  }

  @Test
  void failFastNamesFileRowAndReason() throws IOException {
    Path csv = csv();
    ManifestSpec spec = ManifestSpec.of("path", "report", "Edema", "Cardiomegaly").withPolicy(RowPolicy.FAIL_FAST);
    assertThatThrownBy(() -> new ManifestLoader(spec, DECODE).load(csv))
        .isInstanceOf(RowRejectedException.class)
        .hasMessageContaining("m.csv: row 3: MISSING_FILE")
        .hasMessageContaining("missing.png");
  }

  @Test
  void rejectPolicyMakesUncertainInvalidAndIgnoreMakesItNan() throws IOException {
    Path csv = csv();
    ManifestSpec spec = ManifestSpec.of("path", "report", "Edema", "Cardiomegaly");
    LoadedDataset rejected = new ManifestLoader(spec.withUncertain(UncertainPolicy.REJECT)).load(csv);
    assertThat(rejected.skips().count(SkipReason.INVALID_LABEL)).isEqualTo(2);
    LoadedDataset ignored = new ManifestLoader(spec.withUncertain(UncertainPolicy.IGNORE)).load(csv);
    // without a decoder the broken image is not detected
    assertThat(ignored.samples()).extracting(Sample::row).containsExactly(2, 4, 7, 8);
    assertThat(ignored.samples().get(2).labels()[0]).isNaN();
  }

  @Test
  void jsonLinesWithEachKindOfBadRow() throws IOException {
    Path jsonl = Files.writeString(dir.resolve("m.jsonl"), String.join("\n",
        "{\"image\": \"img/a.png\", \"text\": \"ok\", \"Edema\": 1}",
        "{\"image\": \"img/nope.png\", \"text\": \"x\", \"Edema\": 0}",
        "{\"image\": \"img/broken.png\", \"text\": \"x\", \"Edema\": 0}",
        "{\"image\": \"img/b.png\", \"text\": \"\", \"Edema\": 0}",
        "{\"image\": \"img/b.png\", \"text\": \"x\", \"Edema\": \"yes\"}",
        "{not json",
        "",
        "{\"image\": \"img/c.png\", \"text\": \"fine\", \"Edema\": null}"));
    LoadedDataset ds = new ManifestLoader(ManifestSpec.of("image", "text", "Edema"), DECODE).load(jsonl);
    assertThat(ds.samples()).extracting(Sample::row).containsExactly(1, 8);
    assertThat(ds.skips().rows()).extracting(SkippedRow::row).containsExactly(2, 3, 4, 5, 6);
    assertThat(ds.skips().countsByKind()).containsEntry(SkipReason.MALFORMED_ROW, 1)
        .containsEntry(SkipReason.INVALID_LABEL, 1).containsEntry(SkipReason.MISSING_FILE, 1)
        .containsEntry(SkipReason.UNREADABLE_IMAGE, 1).containsEntry(SkipReason.EMPTY_REPORT, 1);
  }

  @Test
  void unreadableManifestsFailWithTheFileNamed() throws IOException {
    ManifestLoader loader = new ManifestLoader(ManifestSpec.of("path", "report", "Nope"));
    assertThatThrownBy(() -> loader.load(csv())).isInstanceOf(ManifestFormatException.class)
        .hasMessageContaining("m.csv").hasMessageContaining("missing column 'Nope'");
    assertThatThrownBy(() -> loader.load(dir.resolve("absent.csv"))).isInstanceOf(ManifestFormatException.class)
        .hasMessageContaining("absent.csv: file not found");
    Path open = Files.writeString(dir.resolve("open.csv"), "path,report\n\"img/a.png,oops\n");
    assertThatThrownBy(() -> CsvTable.read(open)).isInstanceOf(ManifestFormatException.class)
        .hasMessageContaining("unterminated quoted field starting on line 2");
  }
}
