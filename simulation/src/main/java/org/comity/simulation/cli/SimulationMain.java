package org.comity.simulation.cli;

import org.comity.logging.LogFormat;
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

  /** Read by {@link LogFormat#select} in {@link #main} before Logback starts; declared here for help and checking. */
  @CommandLine.Option(names = LogFormat.OPTION, scope = CommandLine.ScopeType.INHERIT, paramLabel = "text|json",
      defaultValue = "${env:" + LogFormat.ENVIRONMENT + ":-text}",
      description = "Log format on stderr: text (default) or json, one JSON object per line "
          + "(or set " + LogFormat.ENVIRONMENT + ").")
  LogFormat logFormat;

  public static void main(String[] args) {
    LogFormat.select(args, System.getenv());
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "comity-simulation-logback.xml");
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new SimulationMain()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new ExitCodes()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: simulate, secagg, privacy, bench (see --help)");
  }
}
