package org.comity.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.comity.coordinator.round.RoundPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Opening the store: migrations, and the errors an operator sees when it cannot be opened. */
class DatabaseTest {
  @TempDir
  Path directory;

  @Test
  void parse_aUrlThatIsNeitherSqliteNorPostgresql_isBadInputNamingTheSupportedForms() {
    DatabaseException failure = assertThrows(DatabaseException.class,
        () -> DatabaseUrl.parse("jdbc:mysql://db/comity?password=hunter2"));
    assertEquals(DatabaseException.Kind.BAD_URL, failure.kind());
    assertTrue(failure.isBadInput());
    assertTrue(failure.getMessage().contains("jdbc:sqlite:FILE") && failure.getMessage().contains("jdbc:postgresql"));
    assertFalse(failure.getMessage().contains("hunter2"), failure.getMessage());
  }

  @Test
  void redacted_hidesAPasswordInTheUrl() {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5432/comity?user=op&password=hunter2&ssl=true");
    assertEquals("jdbc:postgresql://db:5432/comity?user=op&password=***&ssl=true", url.redacted());
    assertEquals("jdbc:postgresql://db:5432/comity?user=op&ssl=true", Database.withoutPassword(url.url()));
    assertEquals("hunter2", Database.passwordInUrl(url.url()).orElseThrow());
  }

  @Test
  void open_withAPasswordInTheUrl_neverLogsIt_atAnyLevel() {
    // given: every logger at DEBUG, captured
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Level previous = root.getLevel();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
        new ch.qos.logback.core.read.ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(ch.qos.logback.classic.Level.DEBUG);
    String url = TestDatabases.POSTGRESQL.newUrl(directory) + "?password=hunter2-secret";
    try {
      // when
      try (Database database = Database.open(DatabaseUrl.parse(url), "postgres", null)) {
        assertFalse(database.toString().contains("hunter2-secret"));
      }
    } finally {
      root.setLevel(previous);
      root.detachAppender(captured);
    }

    // then
    assertFalse(captured.list.isEmpty(), "nothing was logged: the capture is not working");
    for (var event : captured.list) {
      String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
          : event.getThrowableProxy().getMessage());
      assertFalse(text.contains("hunter2-secret"), "logged: " + text);
    }
  }

  @Test
  void sqliteFile_isTheFileOfTheUrl() {
    assertEquals(Path.of("comity-coordinator.db"), DatabaseUrl.parse(DatabaseUrl.DEFAULT).sqliteFile().orElseThrow());
    assertTrue(DatabaseUrl.parse("jdbc:sqlite::memory:").sqliteFile().isEmpty());
  }

  @Test
  void open_aSqliteFileInAMissingDirectory_isUnreachableNamingTheUrl() {
    String url = "jdbc:sqlite:" + directory.resolve("no/such/dir/store.db");
    DatabaseException failure = assertThrows(DatabaseException.class, () -> Database.open(DatabaseUrl.parse(url), null, null));
    assertEquals(DatabaseException.Kind.UNREACHABLE, failure.kind());
    assertTrue(failure.getMessage().contains(url), failure.getMessage());
  }

  @Test
  void open_aPostgresqlServerThatIsNotListening_isUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:%d/comity?connectTimeout=5".formatted(closedPort);
    DatabaseException failure = assertThrows(DatabaseException.class,
        () -> Database.open(DatabaseUrl.parse(url), "comity", "secret-password"));
    assertEquals(DatabaseException.Kind.UNREACHABLE, failure.kind());
    assertTrue(failure.getMessage().contains("127.0.0.1:" + closedPort), failure.getMessage());
    assertFalse(failure.getMessage().contains("secret-password"));
  }

  @Test
  void open_aPostgresqlUserTheServerDoesNotKnow_isBadCredentialsNamingTheVariables() {
    String url = TestDatabases.POSTGRESQL.newUrl(directory);
    DatabaseException failure = assertThrows(DatabaseException.class,
        () -> Database.open(DatabaseUrl.parse(url), "no_such_user", "secret-password"));
    assertEquals(DatabaseException.Kind.BAD_CREDENTIALS, failure.kind());
    assertTrue(failure.getMessage().contains(Database.USER_VARIABLE), failure.getMessage());
    assertFalse(failure.getMessage().contains("secret-password"));
  }

  @Test
  void open_aPostgresqlDatabaseThatDoesNotExist_saysSo() {
    String url = "jdbc:postgresql://localhost:%d/no_such_database".formatted(TestDatabases.postgresPort());
    DatabaseException failure = assertThrows(DatabaseException.class,
        () -> Database.open(DatabaseUrl.parse(url), "postgres", null));
    assertEquals(DatabaseException.Kind.BAD_URL, failure.kind());
    assertTrue(failure.getMessage().contains("does not exist"), failure.getMessage());
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void open_aSchemaMigratedByANewerBuild_isRefusedNamingBothVersions(TestDatabases backend) throws Exception {
    // given: a newer build applied a migration V99 this build does not know
    String url = backend.newUrl(directory);
    try (Database database = backend.reopen(url)) {
      database.inTransaction(connection -> {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO flyway_schema_history "
            + "(installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) "
            + "VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 1, 'test', 1, ?)")) {
          insert.setBoolean(1, true);
          insert.executeUpdate();
        }
        return null;
      });
    }

    // when
    DatabaseException failure = assertThrows(DatabaseException.class, () -> backend.reopen(url));

    // then
    assertEquals(DatabaseException.Kind.SCHEMA_TOO_NEW, failure.kind());
    assertTrue(failure.getMessage().contains("schema version 99") && failure.getMessage().contains("this build's 1"),
        failure.getMessage());
  }

  @Test
  void sqlite_aReaderSeesCommittedRowsWhileAWriterHoldsItsTransaction() throws Exception {
    // given: the coordinator's store, and a second open (the operator's CLI) on the same file
    String url = TestDatabases.SQLITE.newUrl(directory);
    try (Database coordinator = TestDatabases.SQLITE.reopen(url);
         Database cli = TestDatabases.SQLITE.reopen(url)) {
      JdbcRunJournal journal = new JdbcRunJournal(coordinator);
      journal.runStarted("run-1", JournalFixtures.plan("p"), JournalFixtures.hash(JournalFixtures.plan("p")),
          JournalFixtures.T0);

      // when: the coordinator is inside a write transaction, the CLI reads
      List<String> seen = coordinator.inTransaction(connection -> {
        try (PreparedStatement insert = connection.prepareStatement("UPDATE runs SET outcome_reason = 'x'")) {
          insert.executeUpdate();
        }
        return cli.read(reader -> {
          try (PreparedStatement query = reader.prepareStatement("SELECT run_id FROM runs");
               ResultSet rows = query.executeQuery()) {
            rows.next();
            return List.of(rows.getString(1));
          }
        });
      });

      // then: it is not blocked and sees the committed run, because the file is in WAL mode
      assertEquals(List.of("run-1"), seen);
      assertEquals("wal", cli.read(reader -> {
        try (PreparedStatement query = reader.prepareStatement("PRAGMA journal_mode");
             ResultSet rows = query.executeQuery()) {
          rows.next();
          return rows.getString(1);
        }
      }));
      journal.transition(JournalFixtures.transition("run-1", 0, null, RoundPhase.SELECTING, 1));
    }
  }
}
