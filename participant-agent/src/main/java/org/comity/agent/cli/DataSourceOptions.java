package org.comity.agent.cli;

import java.nio.file.Path;
import org.comity.agent.data.BankDataSource;
import org.comity.agent.data.JdbcCredentials;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The bank's data for {@code check}, {@code run} and {@code score}: either {@code --data FILE.csv} or
 * {@code --jdbc-url URL --query SQL}, exactly one. Database credentials come only from the environment
 * ({@code COMITY_DB_USER}, {@code COMITY_DB_PASSWORD}), never from a flag.
 */
final class DataSourceOptions {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Choice choice;

  /** Exactly one of the CSV file or the query. */
  static final class Choice {
    @Option(names = "--data", paramLabel = "CSV", description = "The bank's data export (CSV with header).")
    Path data;

    @ArgGroup(exclusive = false)
    Query query;
  }

  /** A query needs both its URL and its SQL. */
  static final class Query {
    @Option(names = "--jdbc-url", required = true, paramLabel = "URL",
        description = "Read the data with a SQL query instead: JDBC URL, e.g. jdbc:sqlite:bank.db or "
            + "jdbc:postgresql://host:5432/bank. User and password only from $COMITY_DB_USER and $COMITY_DB_PASSWORD.")
    String url;

    @Option(names = "--query", required = true, paramLabel = "SQL",
        description = "The SELECT (with --jdbc-url) whose column names are the plan's columns.")
    String sql;
  }

  /** The chosen source. */
  BankDataSource source() throws ExitCodes.BadInputException {
    if (choice.data != null) {
      return new BankDataSource.CsvFile(choice.data);
    }
    try {
      return new BankDataSource.SqlQuery(choice.query.url, choice.query.sql,
          JdbcCredentials.fromEnvironment(System.getenv()));
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.BadInputException(e.getMessage());
    }
  }
}
