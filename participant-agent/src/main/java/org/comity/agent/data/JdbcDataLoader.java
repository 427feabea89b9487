package org.comity.agent.data;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads a bank's rows from a SQL query over JDBC and checks them with the same {@link PlanDataValidator} as a CSV
 * export: the query's column labels are the header, each result row is a row of text cells ({@code getString};
 * SQL NULL is an empty cell, i.e. missing). Positions in messages are 1-based result rows. Never throws for bad
 * content or an unreachable database: every problem goes into the {@link DataCheckReport}.
 *
 * <p>Drivers on the agent's class path: SQLite ({@code jdbc:sqlite:FILE}) and PostgreSQL
 * ({@code jdbc:postgresql://HOST/DB}). PostgreSQL results are streamed in batches (a cursor), so a large table
 * does not have to fit in memory twice.
 *
 * <p><b>Security.</b> Credentials come from {@link JdbcCredentials}, never from the URL or a flag; neither the
 * password nor a data row is ever logged or put in a message.
 */
public final class JdbcDataLoader {
  /** Rows fetched per round trip where the driver supports cursors. */
  static final int FETCH_SIZE = 10_000;

  private JdbcDataLoader() {}

  /** Runs {@code query} on {@code url} and feeds the result through {@code validator} (made with row positions). */
  public static DataCheckReport load(String url, String query, JdbcCredentials credentials,
      PlanDataValidator validator) {
    String source = describe(url);
    Properties properties = credentials.asProperties();
    try (Connection connection = DriverManager.getConnection(url, properties)) {
      // PostgreSQL streams with a cursor only inside a transaction. (Not setReadOnly: SQLite refuses it on an open
      // connection; the query is the bank's own and nothing is written either way.)
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.setFetchSize(FETCH_SIZE);
        try (ResultSet result = statement.executeQuery(query)) {
          ResultSetMetaData meta = result.getMetaData();
          int columns = meta.getColumnCount();
          List<String> header = new ArrayList<>(columns);
          for (int i = 1; i <= columns; i++) {
            header.add(meta.getColumnLabel(i));
          }
          validator.header(header);
          long row = 0;
          while (result.next()) {
            List<String> cells = new ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
              String cell = result.getString(i);
              cells.add(cell == null ? "" : cell);
            }
            validator.row(++row, cells);
          }
        }
      } finally {
        connection.rollback(); // nothing was written; end the read transaction cleanly
      }
    } catch (SQLException e) {
      validator.fileProblem("unreadable", "cannot read the query's rows from %s: %s%s".formatted(source,
          firstLine(e.getMessage()), e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")"), -1);
    }
    return validator.finish("query on " + source);
  }

  /** The URL without any query string or properties (which could carry secrets), for messages. */
  static String describe(String url) {
    int cut = url.length();
    for (char separator : new char[] {'?', ';'}) {
      int at = url.indexOf(separator);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    return url.substring(0, cut);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
