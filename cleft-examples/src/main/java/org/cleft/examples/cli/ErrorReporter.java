package org.cleft.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.cleft.api.NonFiniteValueException;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.InsufficientMemoryException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.data.dicom.UnsupportedTransferSyntaxException;
import org.cleft.data.loader.SampleLoadException;
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
    if (System.getenv(DEBUG_ENV) != null || verboseGiven(parsed)) {
      ex.printStackTrace(err);
    }
    return FAILURE;
  }

  /** Whether {@code --verbose} was given on any subcommand (it is inherited). */
  private static boolean verboseGiven(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The message and hint for an exception, on one line. */
  static String describe(Exception ex) {
    if (ex instanceof CliFailure f) {
      return oneLine(f.getMessage()) + " (hint: " + f.hint() + ")";
    }
    if (ex instanceof SampleLoadException || ex instanceof UnsupportedTransferSyntaxException) {
      return oneLine(ex.getMessage()) + " (hint: the image named above cannot be decoded; convert it to PNG, JPEG or a "
          + "supported DICOM transfer syntax (docs/data.md), or leave it out; training and eval skip such images "
          + "with --bad-samples skip)";
    }
    if (ex instanceof java.io.UncheckedIOException u && u.getCause() != null) {
      // the wrapper says what was being done, the cause what went wrong; keep both, once each
      String what = String.valueOf(u.getMessage());
      String why = String.valueOf(u.getCause().getMessage());
      String message = what.contains(why) ? what : what.startsWith(u.getCause().getClass().getName()) ? why
          : what + ": " + why;
      return oneLine(message) + " (hint: the file or folder named above is missing or unreadable)";
    }
    if (ex instanceof NonFiniteValueException) {
      return oneLine(ex.getMessage()) + " (hint: no result is printed for a model that computes NaN)";
    }
    if (ex instanceof IllegalArgumentException && !(ex instanceof NumberFormatException)) {
      // the API's refusal of an input (an image size, a class name, a template): a user mistake, not a bug
      return oneLine(ex.getMessage()) + " (hint: the input or option named above does not suit the model; see "
          + "--help)";
    }
    if (ex instanceof CheckpointException && String.valueOf(ex.getMessage()).contains("is damaged")) {
      return oneLine(ex.getMessage()) + " (hint: use an earlier checkpoint of the run)";
    }
    if (ex instanceof InsufficientMemoryException) {
      return oneLine(ex.getMessage()); // the message says what to change
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
        + " (hint: this is a bug in cleft; rerun with --verbose for the stack trace and report it)";
  }

  static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
