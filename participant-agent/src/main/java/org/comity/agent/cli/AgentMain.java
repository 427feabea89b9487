package org.comity.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code comity-agent}: the member bank's executable. Exit codes: 0 ok, 2 bad usage or input, 1 failure.
 */
@Command(name = "comity-agent", mixinStandardHelpOptions = true, version = "Comity agent 0.1.0",
    description = "The member bank's Comity agent: checks its data against the plan, takes part in federated training "
        + "and scores with an exported model.",
    subcommands = {CheckCommand.class, RunCommand.class, ScoreCommand.class, KeygenCommand.class, PrivacyCommand.class,
        CommandLine.HelpCommand.class})
public final class AgentMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "comity-agent-logback.xml");
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new AgentMain()).setExecutionExceptionHandler(new ExitCodes()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: check, run, score, keygen, privacy (see --help)");
  }
}
