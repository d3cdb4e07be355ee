package org.cleft.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cleft data}: the data tools of {@code cleft-data} ({@code inspect}, {@code bench}). */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = "Data tools: inspect a data set, measure the batch loader.",
    subcommands = {InspectCommand.class, BenchCommand.class})
public final class DataCommand implements Runnable {
  @ParentCommand
  private CleftCli cli;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public DataCommand() {}

  /** {@code cleft data} without a subcommand is a usage error. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: inspect or bench");
  }

  /** The top-level command, for its streams. */
  CleftCli cli() {
    return cli;
  }
}
