package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User mistakes get a message naming the file, field or option and the fix, never "internal error"; damaged
 * training data is skipped with each skip named.
 */
class UserMistakesTest {
  @TempDir
  Path tmp;

  @Test
  void adapterTrainingOnABaseWithoutAnAdapterNamesTheOptions() {
    CliRun run = CliRun.of("train", "--base", Fixtures.tiny().toString(), "--manifest", "m.csv", "--out",
        tmp.resolve("run").toString(), "--steps", "2", "--warmup", "0");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no peft adapter", "--text-train full", "--adapter lora")
        .doesNotContain("internal error");
  }

  @Test
  void aModelLargerThanTheMemoryIsRefusedBeforeLoadingWithBothFigures() throws Exception {
    Path texts = Files.writeString(tmp.resolve("t.txt"), "no pleural effusion\n");
    String previous = System.getProperty(org.cleft.api.checkpoint.MemoryBudget.LIMIT_PROPERTY);
    System.setProperty(org.cleft.api.checkpoint.MemoryBudget.LIMIT_PROPERTY, "100000"); // 0.1 MB
    try {
      for (String backend : List.of("djl", "tf", "onnx")) {
        CliRun run = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--texts", texts.toString(), "--out",
            tmp.resolve(backend + ".safetensors").toString(), "--backend", backend);
        assertThat(run.exitCode()).as(backend + ": " + run.err()).isEqualTo(1);
        assertThat(run.err()).as(backend).contains("needs", "GB of memory", "0.00 GB is available",
            "-Dcleft.memory.limit=100000", "free memory").doesNotContain("internal error", "at org.", "text/, vision/");
      }
    } finally {
      if (previous == null) {
        System.clearProperty(org.cleft.api.checkpoint.MemoryBudget.LIMIT_PROPERTY);
      } else {
        System.setProperty(org.cleft.api.checkpoint.MemoryBudget.LIMIT_PROPERTY, previous);
      }
    }
    assertThat(Files.exists(tmp.resolve("djl.safetensors"))).isFalse();
  }

  @Test
  void aMissingTokenizerNamesTheFolder() {
    Path fixture = Fixtures.copy(Fixtures.tiny(), tmp.resolve("fixture"));
    for (String f : new String[] {"tokenizer.json", "vocab.json", "merges.txt"}) {
      fixture.resolve("text").resolve(f).toFile().delete();
    }
    CliRun run = CliRun.of("verify", "--fixture", fixture.toString(), "--backend", "djl", "--out",
        tmp.resolve("v.safetensors").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no tokenizer in", "text").doesNotContain("internal error");
  }

  @Test
  void anUnsupportedDicomNamesTheFileAndTheSyntax() throws Exception {
    Path dcm = tmp.resolve("x.dcm");
    byte[] uid = "1.2.840.10008.1.2.4.201\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII); // HTJ2K, NUL-padded
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(new byte[128]);
    b.write("DICM".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.write(new byte[] {0x02, 0x00, 0x10, 0x00, 'U', 'I', (byte) uid.length, 0});
    b.write(uid);
    Files.write(dcm, b.toByteArray());
    CliRun run = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", dcm.toString(), "--out",
        tmp.resolve("e.safetensors").toString(), "--fail-fast");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("x.dcm", "transfer syntax", "High-Throughput JPEG 2000", "gdcmconv", "hint:")
        .doesNotContain("internal error");
    CliRun skipping = CliRun.of("embed", "--model", Fixtures.tiny().toString(), "--images", dcm.toString(), "--out",
        tmp.resolve("e.safetensors").toString());
    assertThat(skipping.exitCode()).isEqualTo(1);
    assertThat(skipping.err()).contains("skipped 1 of 1", "x.dcm", "none of the 1 images").doesNotContain("internal");
  }

  @Test
  void trainingSkipsAMissingRowAndAnUndecodableImageAndSaysWhich() throws Exception {
    Path base = Fixtures.trainableTiny(tmp.resolve("base"));
    Path data = SyntheticChestXrays.write(tmp.resolve("data"), 8, 2, 3, new ChestXrayGenerator(64, 0.4));
    List<String> rows = new ArrayList<>(Files.readAllLines(data.resolve("train_manifest.csv")));
    String broken = rows.get(1).split(",")[0];
    Files.writeString(data.resolve(broken), "not an image");
    rows.add("missing/none.png,this is a chest x ray of a patient with edema,0,0,0,1,0");
    Files.write(data.resolve("train_manifest.csv"), rows);
    CliRun run = CliRun.of("train", "--base", base.toString(), "--manifest", data.resolve("train_manifest.csv").toString(),
        "--out", tmp.resolve("run").toString(), "--steps", "3", "--warmup", "0", "--batch-size", "4", "--threads", "1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("skipped  1 row(s) of the training data", "MISSING_FILE", "none.png")
        .contains("skipped  1 undecodable image(s) of the training data", broken.substring(broken.lastIndexOf('/') + 1));
    CliRun stop = CliRun.of("train", "--base", base.toString(), "--manifest", data.resolve("train_manifest.csv").toString(),
        "--out", tmp.resolve("run2").toString(), "--steps", "3", "--warmup", "0", "--batch-size", "4", "--threads", "1",
        "--bad-samples", "stop");
    assertThat(stop.exitCode()).isEqualTo(1);
    assertThat(stop.err()).contains(broken.substring(broken.lastIndexOf('/') + 1)).doesNotContain("internal error");
  }
}
