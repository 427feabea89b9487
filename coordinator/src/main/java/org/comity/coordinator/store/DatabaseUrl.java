package org.comity.coordinator.store;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated JDBC URL of the coordinator's store: {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST/DB}.
 *
 * <p>Credentials do not belong in the URL (they come from {@code COMITY_DB_USER} and {@code COMITY_DB_PASSWORD});
 * if one is there anyway, {@link #redacted()} hides it, and only the redacted form is ever logged or printed.
 *
 * @param url the URL as given
 * @param kind which database it names
 */
public record DatabaseUrl(String url, DatabaseKind kind) {
  /** Where the store lives when no URL is configured: a SQLite file in the working directory. */
  public static final String DEFAULT = "jdbc:sqlite:comity-coordinator.db";

  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

  public DatabaseUrl {
    if (url == null || kind == null) {
      throw new IllegalArgumentException("url and kind are required");
    }
  }

  /**
   * Parses a JDBC URL.
   *
   * @throws DatabaseException of kind {@link DatabaseException.Kind#BAD_URL} if it is neither SQLite nor PostgreSQL
   */
  public static DatabaseUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new DatabaseException(DatabaseException.Kind.BAD_URL, "the database URL is empty; use "
          + DEFAULT + " or jdbc:postgresql://HOST:PORT/DATABASE", null);
    }
    String trimmed = url.strip();
    if (trimmed.startsWith("jdbc:sqlite:")) {
      if (trimmed.length() == "jdbc:sqlite:".length()) {
        throw new DatabaseException(DatabaseException.Kind.BAD_URL,
            "database URL %s names no file; e.g. %s".formatted(trimmed, DEFAULT), null);
      }
      return new DatabaseUrl(trimmed, DatabaseKind.SQLITE);
    }
    if (trimmed.startsWith("jdbc:postgresql:")) {
      return new DatabaseUrl(trimmed, DatabaseKind.POSTGRESQL);
    }
    throw new DatabaseException(DatabaseException.Kind.BAD_URL, ("database URL '%s' is not supported: use "
        + "jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE").formatted(redact(trimmed)), null);
  }

  /** The URL with any password in it replaced by {@code ***}: the only form that is logged. */
  public String redacted() {
    return redact(url);
  }

  /** The SQLite database file, if this is a file-backed SQLite URL (not {@code :memory:}). */
  public Optional<Path> sqliteFile() {
    if (kind != DatabaseKind.SQLITE) {
      return Optional.empty();
    }
    String rest = url.substring("jdbc:sqlite:".length());
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    if (rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(rest));
  }

  private static String redact(String url) {
    String withoutParameter = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(withoutParameter).replaceAll("$1***@");
  }

  @Override
  public String toString() {
    return redacted();
  }
}
