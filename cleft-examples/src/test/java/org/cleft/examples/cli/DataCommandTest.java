package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleft data}: subcommand dispatch and the inspector hand-off. */
class DataCommandTest {
  @Test
  void dataWithoutSubcommandIsAUsageError() {
    CliRun run = CliRun.of("data");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("cleft: missing subcommand").contains("see 'cleft data --help'");
  }

  @Test
  void inspectHelpExplainsThePassThrough() {
    CliRun run = CliRun.of("data", "inspect", "--help");
    assertThat(run.out()).contains("Usage: cleft data inspect", "DatasetInspector");
  }

  @Test
  void inspectReportsASyntheticChexpertSetAndWritesImages(@TempDir Path tmp) throws Exception {
    Path root = SyntheticChestXrays.write(tmp.resolve("chexpert"), 6, 2, 5, new ChestXrayGenerator(64, 0.5));
    Path out = tmp.resolve("png");
    CliRun run = CliRun.of("data", "inspect", "--dataset", "chexpert", "--root", root.toString(), "--out",
        out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("6");
    try (var files = Files.list(out)) {
      assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).isPositive();
    }
  }

  @Test
  void inspectOfAMissingRootFailsWithOneLine(@TempDir Path tmp) {
    CliRun run = CliRun.of("data", "inspect", "--dataset", "chexpert", "--root", tmp.resolve("nowhere").toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("nowhere");
  }

  @Test
  void benchRunsOnAFewImages() {
    CliRun run = CliRun.of("data", "bench", "--images", "2", "--batch", "2", "--threads", "1");
    assertThat(run.exitCode()).as(run.err()).isZero();
  }
}
