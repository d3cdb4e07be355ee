package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
  void benchRunsOnAFewImages() {
    CliRun run = CliRun.of("data", "bench", "--images", "2", "--batch", "2", "--threads", "1");
    assertThat(run.exitCode()).as(run.err()).isZero();
  }
}
