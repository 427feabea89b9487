package org.comity.agent.cli;

import org.comity.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code comity-agent}: the member bank's executable. Exit codes: 0 ok, 2 bad usage or input, 1 failure.
 */
@Command(name = "comity-agent", mixinStandardHelpOptions = true, version = "Comity agent 0.1.0",
    description = "The member bank's Comity agent: checks its data against the plan, takes part in federated training "
        + "and scores with an exported model.",
    subcommands = {CheckCommand.class, RunCommand.class, StatusCommand.class, ScoreCommand.class, KeygenCommand.class,
        PrivacyCommand.class,
        CommandLine.HelpCommand.class})
public final class AgentMain implements Runnable {
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
      System.setProperty("logback.configurationFile", "comity-agent-logback.xml");
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new AgentMain()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new ExitCodes()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "choose a command: check, run, status, score, keygen, privacy (see --help)");
  }
}
