package org.cleft.examples.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cleft.data.inspect.DatasetInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code cleft data inspect}: hands every argument to {@link DatasetInspector} and returns its exit code.
 */
@Command(name = "inspect",
    description = {"Inspect a data set (manifest, images, labels): every argument is passed unchanged to "
        + "cleft-data's DatasetInspector, which describes its own options under --help."},
    footer = {"", "Exit code: the inspector's (0 clean, non-zero when it found problems or could not run)."})
public final class InspectCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, description = "Show this help, then the inspector's own options.")
  private boolean help;

  @Unmatched
  private List<String> args = new ArrayList<>();

  @ParentCommand
  private DataCommand data;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public InspectCommand() {}

  /**
   * Runs the inspector with the arguments given.
   *
   * @return the inspector's exit code
   */
  @Override
  public Integer call() {
    PrintStream out = data.cli().out();
    PrintStream err = data.cli().err();
    DatasetInspector inspector = new DatasetInspector();
    if (help) {
      spec.commandLine().usage(out);
      out.println();
      return inspector.run(new String[] {"--help"}, out, err);
    }
    return inspector.run(args.toArray(String[]::new), out, err);
  }
}
