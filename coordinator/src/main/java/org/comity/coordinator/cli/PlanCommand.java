package org.comity.coordinator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.ThreatModel;
import org.comity.plan.PlanLoader;
import org.comity.plan.SecureAggregationSpec;
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
      if (loaded.secureAggregation().enabled()) {
        System.out.println(secureAggregationLine(loaded));
      }
      System.out.println("plan hash: " + PlanHash.of(loaded));
      return ExitCodes.OK;
    }

    /** The graph and threshold for the plan's round size, or bad input when the override breaks the bounds. */
    private static String secureAggregationLine(FederationPlan plan) throws ExitCodes.BadInputException {
      var spec = plan.secureAggregation();
      int banks = plan.rounds().participantsPerRound() > 0 ? plan.rounds().participantsPerRound()
          : plan.rounds().minMembersToStart();
      ThreatModel threat = spec.threatModel() == SecureAggregationSpec.ThreatModelName.SEMI_MALICIOUS
          ? ThreatModel.SEMI_MALICIOUS_SERVER : ThreatModel.SEMI_HONEST_SERVER;
      try {
        SecAggParameters parameters = spec.neighbours() == null
            ? SecAggParameters.derive(banks, spec.corruptFraction(), spec.dropoutRate(), threat)
            : SecAggParameters.validateOverride(banks, spec.corruptFraction(), spec.dropoutRate(), threat,
                spec.neighbours(), spec.threshold());
        return ("  secure aggregation: for %d banks per round, %d neighbours and threshold %d (%s); consistency check %s")
            .formatted(banks, parameters.neighbours(), parameters.threshold(),
                spec.neighbours() == null ? "derived" : "override accepted",
                spec.consistencyCheck() ? "on (every bank needs its consortium certificate key)" : "off");
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException(
            "secure_aggregation: for %d banks per round: %s".formatted(banks, e.getMessage()));
      }
    }
  }
}
