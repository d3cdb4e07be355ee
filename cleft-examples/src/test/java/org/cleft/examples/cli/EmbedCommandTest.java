package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.ImageTensor;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleft embed} on the tiny fixture: rows equal the encoders' own output, sources in the metadata. */
class EmbedCommandTest {
  @TempDir
  Path tmp;

  @Test
  void imagesOfAFolderAreEmbeddedInPathOrder() throws Exception {
    Path dir = tmp.resolve("imgs");
    ChestXrayGenerator gen = new ChestXrayGenerator(56, 0.5);
    for (String name : List.of("b.png", "a.png", "sub/c.png")) {
      SyntheticChestXrays.writePng(gen.random(name.hashCode()).image(), dir.resolve(name));
    }
    Files.writeString(dir.resolve("notes.txt"), "not an image");
    Path out = tmp.resolve("e/images.safetensors");
    CliRun run = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", dir.toString(), "--out",
        out.toString(), "--batch-size", "2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<Path> expectedOrder = List.of(dir.resolve("a.png"), dir.resolve("b.png"), dir.resolve("sub/c.png"));
    try (SafetensorsFile f = SafetensorsFile.open(out); Backend backend = Backends.open(Capability.INFERENCE, "djl",
        BackendOptions.defaults())) {
      assertThat(f.metadata()).containsEntry("kind", "image").containsEntry("backend", "djl");
      List<String> sources = new ObjectMapper().readValue(f.metadata().get("sources"), new TypeReference<List<String>>() {});
      assertThat(sources).isEqualTo(expectedOrder.stream().map(Path::toString).toList());
      long[] shape = f.info("image_embeds").shape();
      assertThat(shape[0]).isEqualTo(3);
      float[] rows = f.floats("image_embeds");
      CleftModel m = backend.load(Fixtures.tiny());
      ImageDecoder decoder = new ImageDecoder();
      for (int i = 0; i < 3; i++) {
        ImageTensor t = ImagePipeline.evaluation(70).apply(decoder.decodeGrey(expectedOrder.get(i)),
            new SplittableRandom(0));
        Embeddings direct = m.imageEncoder().encode(new ImageBatch(t.data(), 1, t.channels(), t.height(), t.width()));
        for (int j = 0; j < shape[1]; j++) {
          assertThat(rows[(int) (i * shape[1] + j)]).isCloseTo(direct.get(0, j), within(1e-5f));
        }
      }
    }
  }

  @Test
  void aBadFileIsSkippedByNameAndTheOthersEmbeddedUnlessFailFast() throws Exception {
    Path dir = tmp.resolve("mixed");
    ChestXrayGenerator gen = new ChestXrayGenerator(56, 0.5);
    SyntheticChestXrays.writePng(gen.random(1).image(), dir.resolve("a.png"));
    Files.write(dir.resolve("b.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}); // corrupt
    Path interop = Path.of("..", "cleft-data", "src", "test", "resources", "org", "cleft", "data", "dicom", "interop");
    Files.copy(interop.resolve("basic_text_sr.dcm"), dir.resolve("c.dcm")); // a report: no pixel data
    Files.copy(interop.resolve("mono16_rle.dcm"), dir.resolve("d.dcm"));
    Path out = tmp.resolve("mixed.safetensors");
    CliRun run = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", dir.toString(), "--out",
        out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("skipped 2 of 4 images", dir.resolve("b.png").toString(),
        dir.resolve("c.dcm").toString());
    try (SafetensorsFile f = SafetensorsFile.open(out)) {
      List<String> sources = new ObjectMapper().readValue(f.metadata().get("sources"), new TypeReference<List<String>>() {});
      assertThat(sources).containsExactly(dir.resolve("a.png").toString(), dir.resolve("d.dcm").toString());
      assertThat(f.info("image_embeds").shape()[0]).isEqualTo(2);
    }
    CliRun strict = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", dir.toString(), "--out",
        tmp.resolve("strict.safetensors").toString(), "--fail-fast");
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.err()).contains("b.png");
    assertThat(Files.exists(tmp.resolve("strict.safetensors"))).isFalse();
    CliRun stop = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", dir.toString(), "--out",
        tmp.resolve("stop.safetensors").toString(), "--bad-samples", "stop");
    assertThat(stop.exitCode()).as("--bad-samples stop, as eval spells it").isEqualTo(1);
  }

  @Test
  void textsAreEmbeddedOnePerLine() throws Exception {
    Path texts = tmp.resolve("t.txt");
    Files.writeString(texts, "no acute findings\n\n  small left pleural effusion  \ncardiomegaly\n");
    Path out = tmp.resolve("texts.safetensors");
    CliRun run = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--texts", texts.toString(), "--out",
        out.toString(), "--batch-size", "2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> expected = List.of("no acute findings", "small left pleural effusion", "cardiomegaly");
    try (SafetensorsFile f = SafetensorsFile.open(out); Backend backend = Backends.open(Capability.INFERENCE, "djl",
        BackendOptions.defaults())) {
      assertThat(new ObjectMapper().readValue(f.metadata().get("sources"), new TypeReference<List<String>>() {}))
          .isEqualTo(expected);
      float[] rows = f.floats("text_embeds");
      long dim = f.info("text_embeds").shape()[1];
      CleftModel m = backend.load(Fixtures.tiny());
      for (int i = 0; i < expected.size(); i++) {
        Embeddings direct = m.textEncoder().encodeTexts(List.of(expected.get(i)));
        for (int j = 0; j < dim; j++) {
          assertThat(rows[(int) (i * dim + j)]).isCloseTo(direct.get(0, j), within(1e-5f));
        }
      }
    }
  }

  @Test
  void classCaptionsAreBuiltAsTheModelBuildsThem() throws Exception {
    Path texts = tmp.resolve("classes.txt");
    Files.writeString(texts, "Pleural Effusion\nedema\n");
    Path out = tmp.resolve("classes.safetensors");
    CliRun run = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--texts", texts.toString(),
        "--class-captions", "--out", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("records no caption style", "'Pleural Effusion' -> 'pleural effusion'");
    List<String> expected = List.of("this is a chest x ray of a patient with pleural effusion",
        "this is a chest x ray of a patient with edema");
    try (SafetensorsFile f = SafetensorsFile.open(out); Backend backend = Backends.open(Capability.INFERENCE, "djl",
        BackendOptions.defaults())) {
      assertThat(new ObjectMapper().readValue(f.metadata().get("sources"), new TypeReference<List<String>>() {}))
          .isEqualTo(expected);
      Embeddings direct = backend.load(Fixtures.tiny()).textEncoder().encodeTexts(expected);
      float[] rows = f.floats("text_embeds");
      for (int j = 0; j < rows.length; j++) {
        assertThat(rows[j]).isCloseTo(direct.data()[j], within(1e-5f));
      }
    }
    CliRun images = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", texts.toString(),
        "--class-captions", "--out", out.toString());
    assertThat(images.exitCode()).isEqualTo(2);
  }

  @Test
  void imagesAndTextsTogetherAreAUsageError() {
    CliRun run = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", "x.png", "--texts", "t.txt",
        "--out", tmp.resolve("o.safetensors").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  @Test
  void aMissingImageIsOneLineFailure() {
    CliRun run = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", tmp.resolve("gone.png").toString(),
        "--out", tmp.resolve("o.safetensors").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("gone.png", "hint:");
  }
}
