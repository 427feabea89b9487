package org.comity.simulation.cli;

import java.io.IOException;
import org.comity.plan.PlanException;
import picocli.CommandLine;

/** Maps failures to the exit codes: 2 for bad input (with its message), 1 for anything else. */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int BAD_INPUT = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (e instanceof PlanException || e instanceof IllegalArgumentException || e instanceof BadInputException
        || e instanceof java.nio.file.NoSuchFileException || e instanceof org.comity.simulation.data.CsvFormatException) {
      String message = e instanceof java.nio.file.NoSuchFileException ? "file not found: " + e.getMessage() : e.getMessage();
      commandLine.getErr().println("error: " + message);
      return BAD_INPUT;
    }
    commandLine.getErr().println("failed: " + e);
    if (Boolean.getBoolean("comity.debug") || !(e instanceof IOException)) {
      e.printStackTrace(commandLine.getErr());
    }
    return FAILURE;
  }

  /** Bad input found after parsing. */
  static final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
      super(message);
    }
  }
}
