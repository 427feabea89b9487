package org.comity.agent.cli;

import org.comity.agent.runtime.AgentException;
import org.comity.plan.PlanException;
import picocli.CommandLine;

/** Maps failures to the exit codes: 2 for bad input (with its message), 1 for anything else. */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int BAD_INPUT = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (e instanceof PlanException || e instanceof BadInputException
        || e instanceof org.comity.agent.pki.PkiException || e instanceof org.comity.pkcs11.TokenException) {
      commandLine.getErr().println("error: " + e.getMessage());
      return BAD_INPUT;
    }
    if (e instanceof AgentException) {
      commandLine.getErr().println("agent stopped: " + e.getMessage());
      return FAILURE;
    }
    commandLine.getErr().println("failed: " + e);
    if (Boolean.getBoolean("comity.debug")) {
      e.printStackTrace(commandLine.getErr());
    }
    return FAILURE;
  }

  /** Bad input found after parsing (a data file's content, an incompatible combination of flags). */
  static final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
      super(message);
    }
  }
}
