package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleft export} on a copy of the tiny fixture: files, options, one-line errors. */
class ExportCommandTest {
  @TempDir
  Path tmp;
  Path ckpt;

  @BeforeEach
  void copyTiny() throws Exception {
    ckpt = Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
    try (var files = Files.list(ckpt.resolve("onnx"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(ckpt.resolve("onnx"));
  }

  @Test
  void exportsBothTowersAndTheProvenance() throws Exception {
    Path out = ckpt.resolve("onnx");
    CliRun run = CliRun.of("export", "--checkpoint", ckpt.toString(), "--out", out.toString(), "--image-size", "70");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("image size  70 px", "opset       17", "adapter     none",
        "image_encoder.onnx", "text_encoder.onnx", "export.json");
    assertThat(out.resolve("image_encoder.onnx")).isRegularFile();
    assertThat(out.resolve("text_encoder.onnx")).isRegularFile();
    JsonNode json = new ObjectMapper().readTree(out.resolve("export.json").toFile());
    assertThat(json.path("image_encoder").path("image_size").asInt()).isEqualTo(70);
    assertThat(json.path("source_checkpoint").asText()).isEqualTo(ckpt.toAbsolutePath().normalize().toString());
  }

  @Test
  void adapterFolderAndExternalDataOptions() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("export", "--checkpoint", ckpt.toString(), "--out", out.toString(), "--adapter", "ia3",
        "--external-data", "--opset", "18");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("image size  70 px", "opset       18", "adapter     IA3 (folded)",
        "image_encoder.onnx.data");
    assertThat(out.resolve("text_encoder.onnx.data")).isRegularFile();
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    CliRun run = CliRun.of("export", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--checkpoint=DIR", "--out=DIR", "--image-size=PIXELS",
        "Default: cleft.json's", "--opset=N", "Default: 17", "--adapter=manifest|none|DIR",
        "Default: manifest", "--external-data", "docs/export.md");
  }

  @Test
  void missingCheckpointIsOneLineFailure() {
    CliRun run = CliRun.of("export", "--checkpoint", tmp.resolve("absent").toString(), "--out",
        tmp.resolve("out").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: ").contains("absent", "hint:");
  }

  @Test
  void unknownModelTypeIsOneLineFailureNamingTheField() throws Exception {
    Path config = ckpt.resolve("text/config.json");
    Files.writeString(config, Files.readString(config).replace("\"gpt2\"", "\"falcon\""));
    CliRun run = CliRun.of("export", "--checkpoint", ckpt.toString(), "--out", tmp.resolve("out").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: ").contains("text/config.json", "model_type", "falcon", "hint:");
  }

  @Test
  void imageSizeOffThePatchGridIsOneLineFailure() {
    CliRun run = CliRun.of("export", "--checkpoint", ckpt.toString(), "--out", tmp.resolve("out").toString(),
        "--image-size", "71");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("71 is not a multiple of patch_size 14", "try 70", "hint:");
  }

  @Test
  void badOpsetIsAUsageError() {
    CliRun run = CliRun.of("export", "--checkpoint", ckpt.toString(), "--out", tmp.resolve("out").toString(),
        "--opset", "13");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: --opset must be between 17").contains("see 'cleft export --help'");
  }
}
