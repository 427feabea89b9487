package org.comity.simulation.run;

import java.nio.file.Path;
import java.util.List;
import org.comity.plan.FederationPlan;

/**
 * The files and plan of a simulated consortium, ready to run: each bank's CSV export, the shared test CSV and
 * the plan every party agreed to.
 *
 * @param plan the federation plan
 * @param banks the member banks, by id, with their CSV
 * @param testCsv the held-out test CSV (the same schema)
 * @param description one line saying what data this is
 */
public record PreparedConsortium(FederationPlan plan, List<BankFile> banks, Path testCsv, String description) {
  public PreparedConsortium {
    banks = List.copyOf(banks);
  }

  /** One bank's data export. */
  public record BankFile(String memberId, Path csv) {}
}
