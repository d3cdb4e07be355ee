package org.cleft.data.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cleft.api.safetensors.SafetensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DICOM files written by other implementations (pydicom for the sources; dcmtk's dcmconv, dcmcrle, dcmcjpeg and
 * dcmcjpls and GDCM's gdcmconv for the encodings; {@code tools/dicom-interop/make_fixtures.py}), decoded by cleft and
 * compared with pydicom's pixels (GDCM as its pixel handler): identical values for lossless syntaxes, correlation of
 * at least 0.99 for lossy ones. JPEG-LS and 12-bit lossy JPEG (Process 4) are decoded by cleft's own decoders,
 * the others by ImageIO readers.
 */
class InteropDicomTest {
  private static Path dir;
  private static JsonNode files;
  private static SafetensorsFile expected;

  @BeforeAll
  static void open() throws Exception {
    dir = Path.of(InteropDicomTest.class.getResource("interop/manifest.json").toURI()).getParent();
    files = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile()).get("files");
    expected = SafetensorsFile.open(dir.resolve("expected.safetensors"));
  }

  @AfterAll
  static void close() {
    expected.close();
  }

  static Stream<String> images() throws URISyntaxException, java.io.IOException {
    Path d = Path.of(InteropDicomTest.class.getResource("interop/manifest.json").toURI()).getParent();
    JsonNode f = new ObjectMapper().readTree(d.resolve("manifest.json").toFile()).get("files");
    List<String> names = new ArrayList<>();
    f.fields().forEachRemaining(e -> {
      if (!e.getValue().has("no_pixels")) {
        names.add(e.getKey());
      }
    });
    return names.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void decodesAsPydicomDoes(String name) throws Exception {
    JsonNode info = files.get(name);
    String syntax = info.get("transfer_syntax").asText();
    Path file = dir.resolve(name + ".dcm");
    DicomPixels got = new DicomReader().readPixels(file);
    long[] shape = expected.info(name).shape();
    assertThat(new long[] {got.height(), got.width(), got.channels()}).as(name).containsExactly(shape);
    float[] want = expected.floats(name);
    float[] have = got.values();
    assertThat(have).hasSameSizeAs(want);
    compare(name, info, want, have);
    if (info.has("display")) {
      // the VOI LUT, after the modality LUT: pydicom's apply_voi_lut output scaled from its bits to 0..255
      byte[] shown = got.toUInt8().data();
      float[] display = new float[shown.length];
      for (int i = 0; i < shown.length; i++) {
        display[i] = shown[i] & 0xFF;
      }
      assertThat(got.voiLut()).as(name + ": its VOI LUT").isPresent();
      compare(name + "#display", info, expected.floats(name + "#display"), display);
    }
    if (info.has("frames")) {
      int frames = info.get("frames").asInt();
      float[] last = new DicomReader().frame(frames - 1).readPixels(file).values();
      compare(name + "@" + (frames - 1), info, expected.floats(name + "@" + (frames - 1)), last);
      assertThat(last).as("another frame's values").isNotEqualTo(have);
      assertThatThrownBy(() -> new DicomReader().frame(frames).readPixels(file))
          .isInstanceOf(DicomFormatException.class).hasMessageContaining("frame " + frames + " asked for")
          .hasMessageContaining(frames + " frames");
    }
  }

  private static void compare(String name, JsonNode info, float[] want, float[] have) {
    // near-lossless JPEG-LS decodes to exactly one image (no transform to round): CharLS's, value for value
    boolean exact = info.get("lossless").asBoolean()
        || info.get("transfer_syntax").asText().equals(TransferSyntax.JPEG_LS_NEAR_LOSSLESS.uid());
    if (exact) {
      int differ = 0;
      int first = -1;
      for (int i = 0; i < want.length; i++) {
        if (want[i] != have[i]) {
          differ++;
          first = first < 0 ? i : first;
        }
      }
      assertThat(differ).as(name + ": values differing from pydicom's (first at " + first + ": cleft "
          + (first < 0 ? "" : have[first] + ", pydicom " + want[first]) + ")").isZero();
    } else {
      assertThat(correlation(want, have)).as(name + " correlation with pydicom").isGreaterThanOrEqualTo(0.99);
    }
    if (info.get("transfer_syntax").asText().equals(TransferSyntax.JPEG_EXTENDED.uid())) {
      // sequential DCT JPEG: one stream, one image up to the IDCT's rounding (IJG's integer IDCT against our exact
      // one: T.81 allows 1)
      double worst = 0;
      for (int i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(want[i] - have[i]));
      }
      assertThat(worst).as(name + ": largest difference from pydicom's").isLessThanOrEqualTo(1);
    }
  }

  @Test
  void aFileWithoutAnImageSaysSoAndNamesItsSopClass() {
    Path file = dir.resolve("basic_text_sr.dcm");
    assertThatThrownBy(() -> new DicomReader().readPixels(file)).isInstanceOf(DicomFormatException.class)
        .hasMessageContaining("no pixel data (SOP class 1.2.840.10008.5.1.4.1.1.88.11)")
        .hasMessageContaining(file.toString());
  }

  @Test
  void everySyntaxOfTheIssueIsCovered() {
    Map<String, Boolean> seen = new java.util.TreeMap<>();
    files.fields().forEachRemaining(e -> {
      if (e.getValue().has("transfer_syntax")) {
        seen.put(e.getValue().get("transfer_syntax").asText(), true);
      }
    });
    assertThat(seen.keySet()).contains("1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99",
        "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
        "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
        "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91");
  }

  private static double correlation(float[] a, float[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
