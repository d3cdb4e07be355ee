package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder is never silently replaced, and a resumed run logs each step once. */
class RunFolderTest {
  @TempDir
  Path tmp;

  @Test
  void rerunIsRefusedResumeLogsEachStepOnceOverwriteStartsOver() throws Exception {
    Path base = Fixtures.trainableTiny(tmp.resolve("base"));
    Path data = SyntheticChestXrays.write(tmp.resolve("data"), 12, 2, 3, new ChestXrayGenerator(64, 0.4));
    Path run = tmp.resolve("run");
    String[] args = {"train", "--base", base.toString(), "--manifest", data.resolve("train_manifest.csv").toString(),
        "--out", run.toString(), "--steps", "4", "--warmup", "0", "--batch-size", "4", "--checkpoint-every", "2",
        "--threads", "1"};
    CliRun first = CliRun.of(args);
    assertThat(first.exitCode()).as(first.err()).isZero();
    long finalTime = Files.getLastModifiedTime(run.resolve("final/heads.safetensors")).toMillis();

    CliRun again = CliRun.of(args);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("holds a training run already", "final", "--resume", "--overwrite");
    assertThat(Files.getLastModifiedTime(run.resolve("final/heads.safetensors")).toMillis()).isEqualTo(finalTime);

    String[] resume = args.clone();
    resume[2] = run.resolve("checkpoint-000002").toString();
    CliRun resumed = CliRun.of(concat(resume, "--resume"));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(stepLines(run)).containsExactly(1L, 2L, 3L, 4L);

    // --overwrite never deletes the checkpoint the run starts from
    String[] fromFinal = args.clone();
    fromFinal[2] = run.resolve("final").toString();
    CliRun refused = CliRun.of(concat(fromFinal, "--overwrite"));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("--overwrite would delete", "final");
    assertThat(run.resolve("final/heads.safetensors")).isRegularFile();

    CliRun overwritten = CliRun.of(concat(args, "--overwrite"));
    assertThat(overwritten.exitCode()).as(overwritten.err()).isZero();
    assertThat(stepLines(run)).containsExactly(1L, 2L, 3L, 4L);
  }

  private static List<Long> stepLines(Path run) throws Exception {
    ObjectMapper json = new ObjectMapper();
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(l -> {
      try {
        return json.readTree(l);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).filter(n -> n.path("type").asText().equals("step")).map(n -> n.path("step").asLong()).toList();
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
