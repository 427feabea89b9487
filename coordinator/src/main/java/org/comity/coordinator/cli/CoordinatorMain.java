package org.comity.coordinator.cli;

import org.comity.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code comity-coordinator}: the consortium operator's executable. Exit codes: 0 ok, 2 bad usage or input,
 * 1 failure.
 */
@Command(name = "comity-coordinator", mixinStandardHelpOptions = true, version = "Comity coordinator 0.1.0",
    description = "Runs the Comity coordinator that drives federated training rounds, and checks plans.",
    subcommands = {RunCommand.class, PlanCommand.class, CaCommand.class, MemberCommand.class, PrivacyCommand.class,
        ModelCommand.class, AuditCommand.class, OperatorCommand.class, CommandLine.HelpCommand.class})
public final class CoordinatorMain implements Runnable {
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
      System.setProperty("logback.configurationFile", "comity-coordinator-logback.xml");
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new CoordinatorMain()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new ExitCodes())
        .execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "choose a command: run, plan, ca, member, privacy, model, audit, operator (see --help)");
  }
}
