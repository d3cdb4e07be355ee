package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleft info}: parameter counts per part from the headers, checked against the counts peft reported. */
class InfoCommandTest {
  @TempDir
  Path tmp;

  @Test
  void countsEachPartAndWhatASettingTrains() throws Exception {
    Path ckpt = Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
    Files.writeString(ckpt.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"format_version\": 1, "
        + "\"text\": {\"path\": \"text\", \"adapter\": \"lora\"}}");
    // peft's own counts when the fixture was made: LoRA's trainable parameters and the LoRA model's total
    JsonNode fixture = new ObjectMapper().readTree(ckpt.resolve("fixture.json").toFile());
    long lora = fixture.path("lora_trainable_params").asLong();
    long base = fixture.path("text_total_params").asLong() - lora;
    CliRun run = CliRun.of("info", "--checkpoint", ckpt.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).containsPattern("text tower \\(Gpt2, gpt2\\)\\s+" + String.format("%,d", base) + "\\s+0\\n")
        .containsPattern("adapter \\(LORA\\)\\s+" + String.format("%,d", lora) + "\\s+" + String.format("%,d", lora));
    assertThat(run.out()).contains("heads (projections, logit_scale)");
    CliRun full = CliRun.of("info", "--checkpoint", ckpt.toString(), "--text-train", "full", "--vision-train",
        "frozen");
    assertThat(full.exitCode()).as(full.err()).isZero();
    assertThat(full.out()).containsPattern("text tower \\(Gpt2, gpt2\\)\\s+" + String.format("%,d", base) + "\\s+"
        + String.format("%,d", base) + "\\n").containsPattern("image tower \\(dinov2_with_registers\\)\\s+[0-9,]+\\s+0\\n");
    CliRun bad = CliRun.of("info", "--checkpoint", ckpt.toString(), "--vision-train", "half");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--vision-train must be full, frozen or last:N");
  }
}
