package org.comity.agent.data;

import java.util.Map;
import java.util.Properties;

/**
 * Database credentials for {@link JdbcDataLoader}, taken only from the environment ({@value #USER_VARIABLE},
 * {@value #PASSWORD_VARIABLE}): a flag or URL parameter would show in the process list and shell history. Either
 * may be absent (SQLite needs none; PostgreSQL may use peer or certificate authentication).
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class JdbcCredentials {
  /** Environment variable holding the database user. */
  public static final String USER_VARIABLE = "COMITY_DB_USER";
  /** Environment variable holding the database password. */
  public static final String PASSWORD_VARIABLE = "COMITY_DB_PASSWORD";

  private final String user;
  private final String password;

  private JdbcCredentials(String user, String password) {
    this.user = user;
    this.password = password;
  }

  /** The credentials in {@code environment} (pass {@code System.getenv()}); empty values count as absent. */
  public static JdbcCredentials fromEnvironment(Map<String, String> environment) {
    return new JdbcCredentials(blankToNull(environment.get(USER_VARIABLE)),
        blankToNull(environment.get(PASSWORD_VARIABLE)));
  }

  /** No credentials. */
  public static JdbcCredentials none() {
    return new JdbcCredentials(null, null);
  }

  /** The user, if any (not secret). */
  public String user() {
    return user;
  }

  Properties asProperties() {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    return properties;
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  @Override
  public String toString() {
    return "JdbcCredentials[user=%s, password=%s]".formatted(user, password == null ? "none" : "<redacted>");
  }
}
