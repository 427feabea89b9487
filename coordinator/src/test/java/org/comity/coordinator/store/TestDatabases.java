package org.comity.coordinator.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two databases the store runs on, for tests parameterised over both: a SQLite file in the test's temporary
 * directory, or a fresh database on one real PostgreSQL server shared by the whole test JVM (started on first use).
 */
public enum TestDatabases {
  SQLITE,
  POSTGRESQL;

  private static final AtomicInteger NEXT_DATABASE = new AtomicInteger();
  private static EmbeddedPostgres server;

  /** A new, empty store URL: a file under {@code directory}, or a new database on the shared server. */
  public String newUrl(Path directory) {
    if (this == SQLITE) {
      return "jdbc:sqlite:" + directory.resolve("store-" + NEXT_DATABASE.incrementAndGet() + ".db");
    }
    String name = "comity_test_" + NEXT_DATABASE.incrementAndGet();
    try (Connection admin = server().getPostgresDatabase().getConnection();
         Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the test database " + name, e);
    }
    // Without the user parameter zonky adds, so that the user comes from the credentials as in production.
    return "jdbc:postgresql://localhost:%d/%s".formatted(server().getPort(), name);
  }

  /** Opens a fresh store. */
  public Database open(Path directory) {
    return reopen(newUrl(directory));
  }

  /** Opens the store at {@code url} again (a restarted coordinator). */
  public Database reopen(String url) {
    return Database.open(DatabaseUrl.parse(url), this == POSTGRESQL ? "postgres" : null, null);
  }

  /** The shared PostgreSQL server's port (for tests of bad credentials and missing databases). */
  public static int postgresPort() {
    return server().getPort();
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server (as root it needs 'unshare -U')", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          System.err.println("could not stop the embedded PostgreSQL server: " + e.getMessage());
        }
      }, "embedded-postgres-stop"));
    }
    return server;
  }
}
