package org.comity.coordinator.cli;

import java.util.concurrent.Callable;
import org.comity.aggregation.dp.PrivacyQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code privacy epsilon} and {@code privacy noise}: the Renyi-DP accountant on the command line. Each prints one
 * JSON line; validation, the accountant and the formatting live in {@link PrivacyQueries}, shared by every Comity
 * executable, and a value it refuses exits with code 2 and a message naming the option.
 */
@Command(name = "privacy", mixinStandardHelpOptions = true,
    description = {"Differential-privacy accounting (Renyi DP) for Poisson-subsampled Gaussian steps.",
        "Epsilon of a training plan (DP-SGD, DP-FedAvg), or the noise multiplier that meets a target epsilon."},
    subcommands = {PrivacyCommand.Epsilon.class, PrivacyCommand.Noise.class})
final class PrivacyCommand {
  private static final String ORDERS_HELP = "Renyi orders: an integer range like 2-256, a comma list like "
      + "1.5,2,3.5,inf, or both (1.25,1.5,2-64,128). Default: dp_accounting's default orders.";
  private static final String JSON_HELP = "Prints one JSON line; numbers have full double precision, and an "
      + "infinite value is the string \"Infinity\".";

  private PrivacyCommand() {}

  @Command(name = "epsilon", mixinStandardHelpOptions = true,
      description = {"Prints {\"epsilon\": E, \"order\": A} of T steps at sampling rate Q and noise multiplier Z.",
          "E is the smallest epsilon such that the steps are (E, D)-DP; A is the Renyi order that gives it.",
          JSON_HELP})
  static final class Epsilon implements Callable<Integer> {
    @Option(names = PrivacyQueries.SAMPLING_RATE, required = true, paramLabel = "Q",
        description = "Probability that a record (a bank) takes part in a step, in [0, 1].")
    double samplingRate;

    @Option(names = PrivacyQueries.NOISE_MULTIPLIER, required = true, paramLabel = "Z",
        description = "Noise standard deviation divided by the L2 clipping norm, >= 0.")
    double noiseMultiplier;

    @Option(names = PrivacyQueries.STEPS, required = true, paramLabel = "T", description = "Number of steps, >= 0.")
    long steps;

    @Option(names = PrivacyQueries.DELTA, required = true, paramLabel = "D", description = "Delta, in (0, 1).")
    double delta;

    @Option(names = PrivacyQueries.ORDERS, paramLabel = "LIST", description = ORDERS_HELP)
    String orders;

    @Override
    public Integer call() throws ExitCodes.BadInputException {
      String json;
      try {
        json = PrivacyQueries.epsilonJson(samplingRate, noiseMultiplier, steps, delta, orders);
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException(e.getMessage());
      }
      System.out.println(json);
      return ExitCodes.OK;
    }
  }

  @Command(name = "noise", mixinStandardHelpOptions = true,
      description = {"Prints {\"noise_multiplier\": Z} that makes T steps at sampling rate Q (E, D)-DP.",
          "Z is the smallest such multiplier to a relative 1e-9, rounded up: epsilon at Z is <= E.", JSON_HELP})
  static final class Noise implements Callable<Integer> {
    @Option(names = PrivacyQueries.TARGET_EPSILON, required = true, paramLabel = "E",
        description = "Target epsilon, > 0.")
    double targetEpsilon;

    @Option(names = PrivacyQueries.SAMPLING_RATE, required = true, paramLabel = "Q",
        description = "Probability that a record (a bank) takes part in a step, in [0, 1].")
    double samplingRate;

    @Option(names = PrivacyQueries.STEPS, required = true, paramLabel = "T", description = "Number of steps, >= 0.")
    long steps;

    @Option(names = PrivacyQueries.DELTA, required = true, paramLabel = "D", description = "Delta, in (0, 1).")
    double delta;

    @Option(names = PrivacyQueries.ORDERS, paramLabel = "LIST", description = ORDERS_HELP)
    String orders;

    @Override
    public Integer call() throws ExitCodes.BadInputException {
      String json;
      try {
        json = PrivacyQueries.noiseJson(targetEpsilon, samplingRate, steps, delta, orders);
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException(e.getMessage());
      }
      System.out.println(json);
      return ExitCodes.OK;
    }
  }
}
