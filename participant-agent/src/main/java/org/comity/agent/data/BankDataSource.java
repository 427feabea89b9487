package org.comity.agent.data;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a bank's rows come from: a CSV export or a SQL query. Both go through the same {@link PlanDataValidator},
 * so the same data is accepted or refused with the same messages wherever it lives; only the positions differ
 * (file lines for CSV, result rows for a query).
 */
public sealed interface BankDataSource permits BankDataSource.CsvFile, BankDataSource.SqlQuery {
  /** Reads every row through {@code validator} and returns its report. */
  DataCheckReport read(PlanDataValidator validator);

  /** What positions in this source's messages are. */
  PlanDataValidator.Positions positions();

  /**
   * A CSV export (UTF-8, header row).
   *
   * @param file the file
   */
  record CsvFile(Path file) implements BankDataSource {
    @Override
    public DataCheckReport read(PlanDataValidator validator) {
      return CsvDataLoader.load(file, validator);
    }

    @Override
    public PlanDataValidator.Positions positions() {
      return PlanDataValidator.Positions.LINE;
    }
  }

  /**
   * A query over JDBC.
   *
   * @param url the JDBC URL, without credentials
   * @param query the SQL query; its column labels must be the plan's columns
   * @param credentials from the environment
   */
  record SqlQuery(String url, String query, JdbcCredentials credentials) implements BankDataSource {
    public SqlQuery {
      if (url == null || !url.startsWith("jdbc:")) {
        throw new IllegalArgumentException("--jdbc-url must start with 'jdbc:', e.g. jdbc:sqlite:bank.db or "
            + "jdbc:postgresql://host/db; got '" + JdbcDataLoader.describe(String.valueOf(url)) + "'");
      }
      if (url.toLowerCase(Locale.ROOT).contains("password=")) {
        throw new IllegalArgumentException("--jdbc-url must not carry a password (it would show in the process list); "
            + "set " + JdbcCredentials.PASSWORD_VARIABLE + " instead");
      }
      if (query == null || query.isBlank()) {
        throw new IllegalArgumentException("--query must not be empty: give the SELECT that returns the plan's columns");
      }
    }

    @Override
    public DataCheckReport read(PlanDataValidator validator) {
      return JdbcDataLoader.load(url, query, credentials, validator);
    }

    @Override
    public PlanDataValidator.Positions positions() {
      return PlanDataValidator.Positions.ROW;
    }

    @Override
    public String toString() {
      return "SqlQuery[url=%s, %s]".formatted(JdbcDataLoader.describe(url), credentials);
    }
  }
}
