package org.comity.coordinator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code comity-coordinator}: the consortium operator's executable. Exit codes: 0 ok, 2 bad usage or input,
 * 1 failure.
 */
@Command(name = "comity-coordinator", mixinStandardHelpOptions = true, version = "Comity coordinator 0.1.0",
    description = "Runs the Comity coordinator that drives federated training rounds, and checks plans.",
    subcommands = {RunCommand.class, PlanCommand.class, CaCommand.class, MemberCommand.class, PrivacyCommand.class,
        OperatorCommand.class,
        CommandLine.HelpCommand.class})
public final class CoordinatorMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "comity-coordinator-logback.xml");
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new CoordinatorMain())
        .setExecutionExceptionHandler(new ExitCodes())
        .execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: run, plan, ca, member, privacy, operator (see --help)");
  }
}
