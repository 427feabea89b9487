package org.comity.coordinator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's store: a connection pool on a migrated schema, on SQLite (the default file
 * {@value DatabaseUrl#DEFAULT}) or PostgreSQL.
 *
 * <p>Opening runs the Flyway migrations in {@code classpath:db/migration} (the same files for both databases; the
 * one type that differs, raw bytes, is the placeholder {@code ${binary}}). A database whose schema a newer build
 * migrated is refused before anything is written to it.
 *
 * <p>SQLite: the file is put in WAL mode with a busy timeout, and write transactions start {@code IMMEDIATE}, so a
 * reader (the operator's CLI) works while the coordinator writes and two writers queue instead of failing.
 *
 * <p>Credentials come from the environment ({@value #USER_VARIABLE}, {@value #PASSWORD_VARIABLE}), never from a
 * flag; a password found in the URL is moved out of it before the URL reaches a driver or a log.
 */
public final class Database implements AutoCloseable {
  public static final String USER_VARIABLE = "COMITY_DB_USER";
  public static final String PASSWORD_VARIABLE = "COMITY_DB_PASSWORD";
  /** How long a SQLite writer waits for another writer before failing. */
  static final int SQLITE_BUSY_TIMEOUT_MILLIS = 15_000;
  /** PostgreSQL advisory lock id of {@link #lockAppends} ("comity" in ASCII). */
  private static final long APPEND_LOCK = 0x636f6d697479L;

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DatabaseUrl url;
  private final HikariDataSource pool;

  private Database(DatabaseUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /** Opens {@code url} with the credentials from {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE}. */
  public static Database open(String url) {
    return open(DatabaseUrl.parse(url), System.getenv(USER_VARIABLE), System.getenv(PASSWORD_VARIABLE));
  }

  /**
   * Opens the store and brings its schema up to date.
   *
   * @param user database user, or {@code null} (SQLite needs none)
   * @param password the user's password, or {@code null}
   * @throws DatabaseException naming the redacted URL: {@code BAD_URL}, {@code BAD_CREDENTIALS},
   *     {@code UNREACHABLE}, {@code SCHEMA_TOO_NEW} or {@code FAILED}
   */
  public static Database open(DatabaseUrl url, String user, String password) {
    String connectUrl = withoutPassword(url.url());
    String effectivePassword = password != null ? password : passwordInUrl(url.url()).orElse(null);
    HikariConfig config = new HikariConfig();
    config.setPoolName("comity-store");
    config.setJdbcUrl(connectUrl);
    config.setConnectionTimeout(SQLITE_BUSY_TIMEOUT_MILLIS + 5_000L);
    if (user != null && !user.isEmpty()) {
      config.setUsername(user);
    }
    if (effectivePassword != null && !effectivePassword.isEmpty()) {
      config.setPassword(effectivePassword);
    }
    if (url.kind() == DatabaseKind.SQLITE) {
      config.setMaximumPoolSize(4);
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MILLIS));
      config.addDataSourceProperty("foreign_keys", "true");
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      config.addDataSourceProperty("synchronous", "FULL");
    } else {
      config.setMaximumPoolSize(8);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw classify(url, e);
    }
    String schemaVersion;
    try {
      schemaVersion = migrate(url, pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e instanceof DatabaseException known ? known : classify(url, e);
    }
    log.info("store open: {} (schema version {})", url.redacted(), schemaVersion);
    return new Database(url, pool);
  }

  /** Migrates the schema and returns its version. */
  private static String migrate(DatabaseUrl url, DataSource dataSource) {
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .placeholders(Map.of("binary", url.kind().binaryType()))
        // Without this, Flyway silently accepts migrations it does not know (a newer build's); refuse them instead.
        .ignoreMigrationPatterns(new String[0])
        .cleanDisabled(true)
        .load();
    MigrationInfo[] all = flyway.info().all();
    MigrationVersion known = Arrays.stream(all).filter(info -> info.getState().isResolved())
        .map(MigrationInfo::getVersion).max(Comparator.naturalOrder()).orElse(MigrationVersion.EMPTY);
    Optional<MigrationInfo> future = Arrays.stream(all)
        .filter(info -> info.getState().isApplied() && !info.getState().isResolved())
        .max(Comparator.comparing(MigrationInfo::getVersion));
    if (future.isPresent()) {
      throw new DatabaseException(DatabaseException.Kind.SCHEMA_TOO_NEW, ("the database %s has schema version %s "
          + "(%s), newer than this build's %s: use the comity-coordinator release that migrated it, or a newer one")
          .formatted(url.redacted(), future.get().getVersion(), future.get().getDescription(), known), null);
    }
    var result = flyway.migrate();
    if (result.migrationsExecuted > 0) {
      log.info("store {}: schema migrated from {} to {}", url.redacted(),
          result.initialSchemaVersion == null ? "empty" : result.initialSchemaVersion, result.targetSchemaVersion);
    }
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : known.toString();
  }

  /** The URL (use {@link DatabaseUrl#redacted()} to show it). */
  public DatabaseUrl url() {
    return url;
  }

  public DatabaseKind kind() {
    return url.kind();
  }

  /** The pool, for code that needs plain JDBC. */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   *
   * @throws SQLException from the work or the commit; the transaction is then rolled back
   */
  public <T> T inTransaction(SqlWork<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      } finally {
        // sqlite-jdbc begins the next transaction eagerly after commit/rollback; end it so no lock is held.
        connection.setAutoCommit(true);
      }
    }
  }

  /**
   * Serialises appenders (audit entries, promotions) across processes until the current transaction ends, so that
   * two appenders never compute the same next sequence number. SQLite needs nothing: its write transactions are
   * {@code IMMEDIATE} and so already one at a time. PostgreSQL takes a transaction-scoped advisory lock.
   */
  public void lockAppends(Connection connection) throws SQLException {
    if (kind() == DatabaseKind.POSTGRESQL) {
      try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, APPEND_LOCK);
        lock.executeQuery().close();
      }
    }
  }

  /** Runs read-only {@code work} without a transaction (each statement sees committed data). */
  public <T> T read(SqlWork<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return work.run(connection);
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "Database[" + url.redacted() + "]";
  }

  /** Turns a failure to connect or migrate into a message an operator can act on. */
  static DatabaseException classify(DatabaseUrl url, Throwable failure) {
    String where = url.redacted();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        String message = String.valueOf(sql.getMessage());
        if (state.equals("28P01") || state.equals("28000")) {
          return new DatabaseException(DatabaseException.Kind.BAD_CREDENTIALS, ("the database %s refused the "
              + "credentials (SQL state %s): check %s and %s").formatted(where, state, USER_VARIABLE,
              PASSWORD_VARIABLE), null);
        }
        if (state.equals("3D000")) {
          return new DatabaseException(DatabaseException.Kind.BAD_URL,
              "the database named in %s does not exist on that server: create it first".formatted(where), null);
        }
        if (state.startsWith("08") || message.contains("SQLITE_CANTOPEN")) {
          return new DatabaseException(DatabaseException.Kind.UNREACHABLE, ("cannot reach the database %s: %s "
              + "(is the server running and reachable, does the directory exist and is it writable?)")
              .formatted(where, firstLine(message)), null);
        }
        if (message.contains("SQLITE_NOTADB")) {
          return new DatabaseException(DatabaseException.Kind.FAILED,
              "%s is not a SQLite database file".formatted(where), null);
        }
      }
      if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
        return new DatabaseException(DatabaseException.Kind.UNREACHABLE,
            "cannot reach the database %s: %s".formatted(where, cause.getMessage()), null);
      }
    }
    String reason = failure instanceof FlywayException ? "migration failed: " : "";
    return new DatabaseException(DatabaseException.Kind.FAILED,
        "cannot open the database %s: %s%s".formatted(where, reason, firstLine(String.valueOf(failure.getMessage()))),
        failure);
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  static String withoutPassword(String url) {
    return url.replaceAll("(?i)([?&;])password=[^&;]*[&;]?", "$1").replaceAll("[?&;]$", "");
  }

  static Optional<String> passwordInUrl(String url) {
    var matcher = java.util.regex.Pattern.compile("(?i)[?&;]password=([^&;]*)").matcher(url);
    return matcher.find() ? Optional.of(java.net.URLDecoder.decode(matcher.group(1),
        java.nio.charset.StandardCharsets.UTF_8)) : Optional.empty();
  }
}
