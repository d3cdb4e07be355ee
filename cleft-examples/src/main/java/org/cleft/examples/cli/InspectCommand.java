package org.cleft.examples.cli;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code cleft data inspect}: hands every argument to {@code org.cleft.data.inspect.DatasetInspector}
 * and returns its exit code.
 *
 * <p>The inspector is looked up by name rather than linked: it is developed in {@code cleft-data}
 * alongside this command, and a build without it must still compile and say what is missing.
 */
@Command(name = "inspect",
    description = {"Inspect a data set (manifest, images, labels): every argument is passed unchanged to "
        + "cleft-data's DatasetInspector, which describes its own options under --help."},
    footer = {"", "Exit code: the inspector's (0 clean, non-zero when it found problems or could not run)."})
public final class InspectCommand implements Callable<Integer> {
  /** The class that does the work. */
  static final String INSPECTOR = "org.cleft.data.inspect.DatasetInspector";

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
   * @throws Exception what the inspector throws
   */
  @Override
  public Integer call() throws Exception {
    PrintStream out = data.cli().out();
    PrintStream err = data.cli().err();
    Method run = inspector();
    if (help) {
      spec.commandLine().usage(out);
      if (run == null) {
        out.println();
        out.println("(" + INSPECTOR + " is not in this build)");
        return 0;
      }
      out.println();
      return invoke(run, new String[] {"--help"}, out, err);
    }
    if (run == null) {
      throw new CliFailure("data inspect is not available: " + INSPECTOR + " is not on the class path",
          "use a cleft-data build that includes the inspector");
    }
    return invoke(run, args.toArray(String[]::new), out, err);
  }

  private static Method inspector() {
    try {
      return Class.forName(INSPECTOR).getMethod("run", String[].class, PrintStream.class, PrintStream.class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      return null;
    }
  }

  private static int invoke(Method run, String[] arguments, PrintStream out, PrintStream err) throws Exception {
    try {
      Object target = Modifier.isStatic(run.getModifiers()) ? null
          : run.getDeclaringClass().getDeclaredConstructor().newInstance();
      return (Integer) run.invoke(target, arguments, out, err);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
