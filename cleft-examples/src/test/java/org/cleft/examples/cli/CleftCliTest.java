package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Help, version and usage errors of the command line. */
class CleftCliTest {
  @Test
  void helpPrintsUsageWithEveryCommand() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: cleft", "verify", "classify", "data");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void verifyHelpExplainsEveryOptionAndDefault() {
    CliRun run = CliRun.of("verify", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--fixture=DIR", "--backend=NAME", "--out=FILE.safetensors",
        "--tolerance-forward=ABS", "Default: djl", "Default: 1e-4");
  }

  @Test
  void benchHelpShowsDefaults() {
    CliRun run = CliRun.of("data", "bench", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--images=N", "Default: 48", "Default: 16", "Default: 1,2", "Default: eval");
  }

  @Test
  void versionNamesTheProjectVersion() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("cleft ").doesNotContain("${project.version}");
  }

  @Test
  void unknownOptionIsOneLineWithHintAndExitTwo() {
    CliRun run = CliRun.of("verify", "--fixture", ".", "--out", "x.safetensors", "--bogus");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: ").contains("--bogus", "see 'cleft verify --help'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    CliRun run = CliRun.of("verify", "--backend", "djl");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: ").contains("--fixture");
  }

  @Test
  void unknownBackendNamesTheAvailableOnes() {
    CliRun run = CliRun.of("verify", "--fixture", ".", "--backend", "mxnet", "--out", "x.safetensors");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: unknown backend 'mxnet'").contains("available backends: djl, onnx, tf");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun run = CliRun.of();
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("cleft: missing command").contains("see 'cleft --help'");
  }

  @Test
  void benchRejectsAnUnknownPipeline() {
    CliRun run = CliRun.of("data", "bench", "--pipeline", "fast");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("cleft: --pipeline must be eval or train").contains("cleft data bench --help");
  }
}
