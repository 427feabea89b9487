package org.comity.agent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanException;
import org.comity.plan.PlanLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bank data from a SQL query, in SQLite (a temp file) and in a real PostgreSQL: the same rows give the same dataset
 * as the CSV export, and bad rows the same messages, located by result row.
 */
class JdbcDataLoaderTest {
  private static final String PLAN = """
      label: label
      features:
        - {name: amount, type: numeric, min: 0, max: 1000, missing: reject}
        - {name: velocity, type: numeric, missing: mean}
        - {name: channel, type: categorical, categories: [web, app], missing: zero}
      """;
  /** amount, velocity, channel, label; null = SQL NULL / empty CSV cell. */
  private static final List<Object[]> GOOD_ROWS = List.of(
      new Object[] {10.25, 1.5, "web", 0},
      new Object[] {20.0, null, "app", 1},
      new Object[] {999.9999, 0.1, null, 0},
      new Object[] {0.0, -123456.789, "web", 1});

  private static EmbeddedPostgres postgres;

  @TempDir
  Path dir;

  private final FederationPlan plan;

  JdbcDataLoaderTest() throws PlanException {
    plan = PlanLoader.parse(PLAN, "test");
  }

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private String sqliteWith(List<Object[]> rows) throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("bank.db");
    try (Connection connection = DriverManager.getConnection(url)) {
      createAndFill(connection, "REAL", rows);
    }
    return url;
  }

  private String postgresUrl() {
    return "jdbc:postgresql://localhost:%d/postgres".formatted(postgres.getPort());
  }

  private static JdbcCredentials postgresCredentials() {
    return JdbcCredentials.fromEnvironment(Map.of(JdbcCredentials.USER_VARIABLE, "postgres"));
  }

  private String postgresWith(List<Object[]> rows) throws SQLException {
    Properties user = new Properties();
    user.setProperty("user", "postgres");
    try (Connection connection = DriverManager.getConnection(postgresUrl(), user)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS tx");
      }
      createAndFill(connection, "DOUBLE PRECISION", rows);
    }
    return postgresUrl();
  }

  private static void createAndFill(Connection connection, String realType, List<Object[]> rows) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE tx (id INTEGER, amount %s, velocity %s, channel TEXT, label INTEGER)"
          .formatted(realType, realType));
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tx VALUES (?, ?, ?, ?, ?)")) {
      int id = 1;
      for (Object[] row : rows) {
        insert.setInt(1, id++);
        for (int i = 0; i < row.length; i++) {
          insert.setObject(i + 2, row[i]);
        }
        insert.executeUpdate();
      }
    }
  }

  private DataCheckReport csvOf(List<Object[]> rows) throws Exception {
    StringBuilder csv = new StringBuilder("amount,velocity,channel,label\n");
    for (Object[] row : rows) {
      csv.append(String.join(",", Arrays.stream(row).map(v -> v == null ? "" : v.toString()).toList())).append('\n');
    }
    return new CsvDataLoader(plan).load(Files.writeString(dir.resolve("bank.csv"), csv));
  }

  private DataCheckReport query(String url, JdbcCredentials credentials, String sql) {
    return JdbcDataLoader.load(url, sql, credentials,
        PlanDataValidator.forTraining(plan, PlanDataValidator.Positions.ROW));
  }

  private static final String SELECT = "SELECT amount, velocity, channel, label FROM tx ORDER BY id";

  private static void assertSameDataset(DataCheckReport expected, DataCheckReport actual) {
    assertTrue(actual.ok(), actual.describe());
    assertEquals(expected.dataset().rows(), actual.dataset().rows());
    assertArrayEquals(expected.dataset().featuresRowMajor(), actual.dataset().featuresRowMajor());
    assertArrayEquals(expected.dataset().labels(), actual.dataset().labels());
  }

  @Test
  void sqliteQuery_givesExactlyTheDatasetOfTheSameRowsAsCsv() throws Exception {
    // given
    String url = sqliteWith(GOOD_ROWS);
    // when
    DataCheckReport report = query(url, JdbcCredentials.none(), SELECT);
    // then: NULL is a missing cell (NaN for missing: mean, zero one-hot for missing: zero), values bit-identical
    assertSameDataset(csvOf(GOOD_ROWS), report);
    assertTrue(Float.isNaN(report.dataset().featuresRowMajor()[5]));
    assertTrue(report.describe().startsWith("query on jdbc:sqlite:"), report.describe());
  }

  @Test
  void postgresQuery_givesExactlyTheDatasetOfTheSameRowsAsCsv() throws Exception {
    // given: a real PostgreSQL server, the user from the environment variable
    String url = postgresWith(GOOD_ROWS);
    // when
    DataCheckReport report = query(url, postgresCredentials(), SELECT);
    // then
    assertSameDataset(csvOf(GOOD_ROWS), report);
  }

  private static final List<Object[]> BAD_ROWS = List.of(
      new Object[] {10.0, 1.0, "web", 0},
      new Object[] {2000.0, 1.0, "web", 1},
      new Object[] {null, 1.0, "app", 0},
      new Object[] {5.0, 1.0, "tv", 0},
      new Object[] {5.0, 1.0, "web", 2});

  private static void assertBadRowsReported(DataCheckReport report) {
    assertFalse(report.ok());
    assertNull(report.dataset());
    String text = report.describe();
    assertTrue(text.contains("column 'amount': value is outside the plan's range [0.0, 1000.0] (1 occurrence; row 2)"),
        text);
    assertTrue(text.contains("column 'amount': empty cell, and the plan says missing: reject (1 occurrence; row 3)"),
        text);
    assertTrue(text.contains("column 'channel': value is not one of the plan's categories [web, app] "
        + "(1 occurrence; row 4)"), text);
    assertTrue(text.contains("column 'label': labels must be 0 or 1 (1 occurrence; row 5)"), text);
    assertTrue(text.contains("the data will not be used"), text);
  }

  @Test
  void sqliteQuery_badCells_areReportedByColumnAndResultRow() throws Exception {
    assertBadRowsReported(query(sqliteWith(BAD_ROWS), JdbcCredentials.none(), SELECT));
  }

  @Test
  void postgresQuery_badCells_areReportedByColumnAndResultRow() throws Exception {
    assertBadRowsReported(query(postgresWith(BAD_ROWS), postgresCredentials(), SELECT));
  }

  @Test
  void queryColumns_areCheckedLikeACsvHeader() throws Exception {
    // when: the query misses a feature and returns a column the plan does not know
    DataCheckReport report = query(sqliteWith(GOOD_ROWS), JdbcCredentials.none(),
        "SELECT id, amount, channel, label FROM tx");
    // then
    String text = report.describe();
    assertTrue(text.contains("column 'velocity': the plan's feature column is missing from the header"), text);
    assertTrue(text.contains("column 'id': column is not in the plan; remove it from the query or add it to the plan"),
        text);
    assertFalse(text.contains("row 1"), "a query's header has no row number: " + text);
  }

  @Test
  void aliasedColumns_matchThePlanByLabel() throws Exception {
    DataCheckReport report = query(sqliteWith(GOOD_ROWS), JdbcCredentials.none(),
        "SELECT amount AS amount, velocity, channel, label AS label FROM tx ORDER BY id");
    assertSameDataset(csvOf(GOOD_ROWS), report);
  }

  @Test
  void brokenQuery_isAProblemNamingTheSource_notACrash() throws Exception {
    DataCheckReport report = query(sqliteWith(GOOD_ROWS), JdbcCredentials.none(), "SELECT * FROM no_such_table");
    assertFalse(report.ok());
    assertTrue(report.describe().contains("cannot read the query's rows from jdbc:sqlite:"), report.describe());
    assertTrue(report.describe().contains("no_such_table"), report.describe());
  }

  @Test
  void wrongPostgresUser_isAProblem_andThePasswordNeverAppears() {
    JdbcCredentials credentials = JdbcCredentials.fromEnvironment(Map.of(
        JdbcCredentials.USER_VARIABLE, "nobody_here", JdbcCredentials.PASSWORD_VARIABLE, "s3cret-pw"));
    DataCheckReport report = query(postgresUrl(), credentials, SELECT);
    assertFalse(report.ok());
    assertTrue(report.describe().contains("cannot read the query's rows from jdbc:postgresql://localhost:"),
        report.describe());
    assertFalse(report.describe().contains("s3cret-pw"), report.describe());
    assertFalse(credentials.toString().contains("s3cret-pw"), credentials.toString());
  }

  @Test
  void sqlSource_refusesAPasswordInTheUrl_andANonJdbcUrl() {
    IllegalArgumentException password = assertThrows(IllegalArgumentException.class,
        () -> new BankDataSource.SqlQuery("jdbc:postgresql://db/bank?user=a&password=x", SELECT,
            JdbcCredentials.none()));
    assertTrue(password.getMessage().contains("set COMITY_DB_PASSWORD instead"), password.getMessage());
    IllegalArgumentException notJdbc = assertThrows(IllegalArgumentException.class,
        () -> new BankDataSource.SqlQuery("postgres://db/bank", SELECT, JdbcCredentials.none()));
    assertTrue(notJdbc.getMessage().contains("--jdbc-url must start with 'jdbc:'"), notJdbc.getMessage());
  }

  @Test
  void scoringValidator_needsNoLabel_keepsTheIdColumn_andAcceptsOneClass() throws Exception {
    // given: rows to score carry an id and no label
    String url = sqliteWith(GOOD_ROWS);
    // when
    PlanDataValidator validator = PlanDataValidator.forScoring(plan, "id", PlanDataValidator.Positions.ROW);
    DataCheckReport report = JdbcDataLoader.load(url, "SELECT id, amount, velocity, channel FROM tx ORDER BY id",
        JdbcCredentials.none(), validator);
    // then
    assertTrue(report.ok(), report.describe());
    assertEquals(List.of("1", "2", "3", "4"), validator.ids());
    assertArrayEquals(csvOf(GOOD_ROWS).dataset().featuresRowMajor(), report.dataset().featuresRowMajor());
  }
}
