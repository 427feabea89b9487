package org.comity.agent.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.DataCheckReport;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check}: checks a data file against the plan, locally; nothing is sent anywhere. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Checks a data file against the federation plan's schema. Runs locally; nothing is sent.")
final class CheckCommand implements Callable<Integer> {
  @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Federation plan (YAML).")
  Path plan;

  @Option(names = "--data", required = true, paramLabel = "CSV", description = "The bank's data export (CSV with header).")
  Path data;

  @Override
  public Integer call() throws Exception {
    FederationPlan loaded = PlanLoader.load(plan);
    DataCheckReport report = new CsvDataLoader(loaded).load(data);
    if (report.ok()) {
      System.out.println(report.describe());
      return ExitCodes.OK;
    }
    System.err.println(report.describe());
    return ExitCodes.BAD_INPUT;
  }
}
