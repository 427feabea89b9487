package org.comity.coordinator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plan check}: validates a plan and prints its summary and canonical hash. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Work with federation plans.",
    subcommands = {PlanCommand.Check.class})
final class PlanCommand {

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validates a federation plan; prints its summary and the hash that rounds are bound to.")
  static final class Check implements Callable<Integer> {
    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Federation plan (YAML).")
    Path plan;

    @Override
    public Integer call() throws Exception {
      FederationPlan loaded = PlanLoader.load(plan);
      System.out.println(PlanSummary.describe(loaded));
      System.out.println("plan hash: " + PlanHash.of(loaded));
      return ExitCodes.OK;
    }
  }
}
