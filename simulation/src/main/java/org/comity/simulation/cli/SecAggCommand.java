package org.comity.simulation.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.ThreatModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secagg}: secure-aggregation tools for researchers and operators. */
@Command(name = "secagg", mixinStandardHelpOptions = true, description = "Secure-aggregation (SecAgg+) tools.",
    subcommands = {SecAggCommand.Params.class})
final class SecAggCommand {

  @Command(name = "params", mixinStandardHelpOptions = true, description = {
      "Derives the SecAgg+ neighbour count (excluding the bank itself) and Shamir threshold from the threat model,",
      "with statistical security 2^-40 and correctness failure below 2^-20; prints {\"neighbours\": K, \"threshold\": T}."})
  static final class Params implements Callable<Integer> {
    @Option(names = "--clients", required = true, paramLabel = "N", description = "Number of banks in the round.")
    int clients;

    @Option(names = "--corrupt-rate", required = true, paramLabel = "A", description = "Fraction of banks that may collude with the server, in [0, 1).")
    double corruptRate;

    @Option(names = "--dropout-rate", required = true, paramLabel = "D", description = "Expected fraction of banks that drop out, in [0, 1).")
    double dropoutRate;

    @Option(names = "--threat", required = true, paramLabel = "MODEL", description = "semi-honest or semi-malicious (the server's adversary model).")
    String threat;

    @Override
    public Integer call() throws Exception {
      ThreatModel model = switch (threat.toLowerCase(Locale.ROOT)) {
        case "semi-honest" -> ThreatModel.SEMI_HONEST_SERVER;
        case "semi-malicious" -> ThreatModel.SEMI_MALICIOUS_SERVER;
        default -> throw new ExitCodes.BadInputException(
            "--threat must be semi-honest or semi-malicious, got '%s'".formatted(threat));
      };
      SecAggParameters parameters;
      try {
        parameters = SecAggParameters.derive(clients, corruptRate, dropoutRate, model);
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException(e.getMessage());
      }
      System.out.printf("{\"neighbours\": %d, \"threshold\": %d}%n", parameters.neighbours(), parameters.threshold());
      return ExitCodes.OK;
    }
  }
}
