package org.cleft.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.cleft.api.NonFiniteValueException;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns exceptions into the command line's one-line errors and exit codes. */
final class ErrorReporter {
  /** Exit code of a failure. */
  static final int FAILURE = 1;
  /** Exit code of a usage error. */
  static final int USAGE = 2;
  /** Environment variable that adds stack traces to errors. */
  static final String DEBUG_ENV = "CLEFT_DEBUG";

  private ErrorReporter() {}

  /** A usage error: one line naming the problem and the help to read; exit code 2. */
  static int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    cmd.getErr().println("cleft: " + oneLine(ex.getMessage()) + " (see '"
        + cmd.getCommandSpec().qualifiedName() + " --help')");
    return USAGE;
  }

  /** A failure while running a command: one line with a hint; exit code 1. */
  static int failure(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    err.println("cleft: " + describe(ex));
    if (System.getenv(DEBUG_ENV) != null) {
      ex.printStackTrace(err);
    }
    return FAILURE;
  }

  /** The message and hint for an exception, on one line. */
  static String describe(Exception ex) {
    if (ex instanceof CliFailure f) {
      return oneLine(f.getMessage()) + " (hint: " + f.hint() + ")";
    }
    if (ex instanceof NonFiniteValueException) {
      return oneLine(ex.getMessage()) + " (hint: no result is printed for a model that computes NaN)";
    }
    if (ex instanceof IllegalArgumentException) {
      // the API's refusal of an input (an image size, a class name, a template): a user mistake, not a bug
      return oneLine(ex.getMessage()) + " (hint: the input or option named above does not suit the model; see "
          + "--help)";
    }
    if (ex instanceof CheckpointException && String.valueOf(ex.getMessage()).contains("is damaged")) {
      return oneLine(ex.getMessage()) + " (hint: use an earlier checkpoint of the run)";
    }
    if (ex instanceof CheckpointException) {
      return oneLine(ex.getMessage())
          + " (hint: the directory must hold text/, vision/ and heads.safetensors; see docs/checkpoint-format.md)";
    }
    if (ex instanceof SafetensorsException) {
      return oneLine(ex.getMessage()) + " (hint: the file is not a readable safetensors file; see "
          + "docs/checkpoint-format.md)";
    }
    if (ex instanceof IOException) {
      return oneLine(ex.getMessage()) + " (hint: check that the path exists and is readable or writable)";
    }
    return "internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage())
        + " (hint: rerun with " + DEBUG_ENV + "=1 for the stack trace)";
  }

  static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
