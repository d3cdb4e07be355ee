package org.cleft.examples.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cleft} command and its subcommands (see {@code --help}).
 *
 * <p>Errors are one line on standard error starting with {@code cleft: } and ending with a hint.
 * Exit codes: 0 success, 1 a failure (a tensor beyond tolerance, a checkpoint that cannot be
 * loaded), 2 a usage error (unknown option, missing or bad value).
 */
@Command(name = "cleft", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
    description = "CLEFT on the JVM: contrastive image-text models for medical images.",
    subcommands = {DemoCommand.class, TrainCommand.class, PromptTuneCommand.class, EvalCommand.class,
        ClassifyCommand.class, EmbedCommand.class, ExportCommand.class, VerifyCommand.class, ModelBenchCommand.class,
        InfoCommand.class, DataCommand.class, SparkCommand.class},
    footer = {"", "Exit codes: 0 success, 1 failure, 2 usage error. See docs/README.md."})
public final class CleftCli implements Runnable {
  /** The slf4j-simple property for the default log level. */
  static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "On an unexpected error, print its stack trace (also: CLEFT_DEBUG=1).")
  boolean verbose;

  @Spec
  private CommandSpec spec;

  /** A command line that writes to {@link System#out} and {@link System#err}. */
  public CleftCli() {
    this(System.out, System.err);
  }

  /**
   * A command line that writes to the given streams (tests capture them).
   *
   * @param out where results go
   * @param err where errors go
   */
  public CleftCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    System.exit(newCommandLine(System.out, System.err).execute(args));
  }

  /**
   * The configured command line: picocli's output and errors go to {@code out} and {@code err},
   * usage errors and failures are reported on one line. Also quiets logging to warnings unless
   * {@value #LOG_LEVEL} is already set, so that DJL's start-up INFO lines do not clutter results.
   *
   * @param out where results and help go
   * @param err where errors go
   * @return a command line ready for {@link CommandLine#execute(String...)}
   */
  public static CommandLine newCommandLine(PrintStream out, PrintStream err) {
    quietLogging();
    CommandLine cmd = new CommandLine(new CleftCli(out, err));
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cmd.setParameterExceptionHandler(ErrorReporter::usageError);
    cmd.setExecutionExceptionHandler(ErrorReporter::failure);
    return cmd;
  }

  /** Sets slf4j-simple's default level to {@code warn} unless the user chose one. */
  static void quietLogging() {
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, "warn");
    }
    // DJL probes for CUDA on every engine start and warns when the machine has no usable GPU; on a CPU
    // machine that is expected, so only errors from the probe are shown unless the user asks for more
    String cuda = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";
    if (System.getProperty(cuda) == null) {
      System.setProperty(cuda, "error");
    }
  }

  /** Where results go. */
  PrintStream out() {
    return out;
  }

  /** Where errors go. */
  PrintStream err() {
    return err;
  }

  /** {@code cleft} without a command is a usage error. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: see cleft --help for the list");
  }
}
