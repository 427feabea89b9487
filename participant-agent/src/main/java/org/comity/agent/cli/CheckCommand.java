package org.comity.agent.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.comity.agent.data.BankDataSource;
import org.comity.agent.data.DataCheckReport;
import org.comity.agent.data.PlanDataValidator;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code check}: checks the bank's data (CSV or query) against the plan, locally; nothing is sent anywhere. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Checks the bank's data (a CSV file or a database query) against the federation plan's schema. "
        + "Runs locally; nothing is sent.")
final class CheckCommand implements Callable<Integer> {
  @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Federation plan (YAML).")
  Path plan;

  @Mixin
  DataSourceOptions data;

  @Override
  public Integer call() throws Exception {
    FederationPlan loaded = PlanLoader.load(plan);
    BankDataSource source = data.source();
    DataCheckReport report = source.read(PlanDataValidator.forTraining(loaded, source.positions()));
    if (report.ok()) {
      System.out.println(report.describe());
      return ExitCodes.OK;
    }
    System.err.println(report.describe());
    return ExitCodes.BAD_INPUT;
  }
}
