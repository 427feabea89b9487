package org.comity.simulation.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code comity-simulation}: the researcher's executable. Exit codes: 0 ok, 2 bad usage or input, 1 failure.
 */
@Command(name = "comity-simulation", mixinStandardHelpOptions = true, version = "Comity simulation 0.1.0",
    description = "Simulates a consortium of banks in one JVM through the real coordinator and agents, and compares "
        + "federated, local-only and centralized training.",
    subcommands = {SimulateCommand.class, SecAggCommand.class, PrivacyCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class SimulationMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "comity-simulation-logback.xml");
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new SimulationMain()).setExecutionExceptionHandler(new ExitCodes()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: simulate, secagg, privacy, bench (see --help)");
  }
}
