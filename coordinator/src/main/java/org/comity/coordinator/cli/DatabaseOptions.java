package org.comity.coordinator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.DatabaseUrl;
import picocli.CommandLine.Option;

/**
 * {@code --database URL}: which store a command uses. The flag, else {@code $COMITY_DATABASE_URL}, else
 * {@value DatabaseUrl#DEFAULT}. Credentials never come from a flag: {@code $COMITY_DB_USER} and
 * {@code $COMITY_DB_PASSWORD}.
 */
final class DatabaseOptions {
  static final String URL_VARIABLE = "COMITY_DATABASE_URL";

  @Option(names = "--database", paramLabel = "URL", description = {
      "Store JDBC URL: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB (default: $" + URL_VARIABLE
          + ", else " + DatabaseUrl.DEFAULT + ").",
      "Credentials come from $COMITY_DB_USER and $COMITY_DB_PASSWORD."})
  String url;

  /** Whether a store was asked for, by the flag or the environment (commands where the store is optional). */
  boolean configured() {
    return url != null || environmentUrl() != null;
  }

  DatabaseUrl resolve() {
    String chosen = url != null ? url : environmentUrl() != null ? environmentUrl() : DatabaseUrl.DEFAULT;
    return DatabaseUrl.parse(chosen);
  }

  /**
   * Opens the store.
   *
   * @param mayCreate whether a missing SQLite file may be created (commands that only read need an existing one)
   */
  Database open(boolean mayCreate) throws ExitCodes.BadInputException {
    DatabaseUrl resolved = resolve();
    if (!mayCreate) {
      Path file = resolved.sqliteFile().orElse(null);
      if (file != null && !Files.exists(file)) {
        throw new ExitCodes.BadInputException(("no store at %s: give --database URL or set $%s (the coordinator "
            + "creates the store when it first runs)").formatted(file, URL_VARIABLE));
      }
    }
    return Database.open(resolved, System.getenv(Database.USER_VARIABLE), System.getenv(Database.PASSWORD_VARIABLE));
  }

  private static String environmentUrl() {
    String value = System.getenv(URL_VARIABLE);
    return value == null || value.isBlank() ? null : value;
  }
}
