package org.comity.logging;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The log format of the Comity executables: {@code text} (the default, for people) or {@code json} (one JSON object
 * per line, for log collectors), chosen with {@code --log-format} on any command or the environment variable
 * {@value #ENVIRONMENT} (the flag wins).
 *
 * <p>Logback reads its configuration when the first logger is created, which can happen before picocli has parsed
 * the command line; so each {@code main} calls {@link #select} first. It sets the system property {@value #PROPERTY},
 * from which the executables' Logback configurations include the matching appender fragment
 * ({@code comity-log-stderr-text.xml} or {@code comity-log-stderr-json.xml}, and {@code comity-log-file-*.xml} for
 * the simulation's log file). The same option is declared to picocli, which documents it and refuses bad values
 * with exit code 2; {@link #select} ignores values it does not know, leaving that refusal to picocli.
 */
public enum LogFormat {
  TEXT,
  JSON;

  /** The system property the Logback configurations read. */
  public static final String PROPERTY = "comity.log.format";
  /** The environment variable that sets the format when the flag is absent. */
  public static final String ENVIRONMENT = "COMITY_LOG_FORMAT";
  /** The command-line option. */
  public static final String OPTION = "--log-format";

  /**
   * The format the command line or environment asks for, or empty when neither names a known one.
   *
   * @param args the command line as given to {@code main}
   * @param environment the process environment
   */
  public static Optional<LogFormat> requested(String[] args, Map<String, String> environment) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals(OPTION) && i + 1 < args.length) {
        return parse(args[i + 1]);
      }
      if (args[i].startsWith(OPTION + "=")) {
        return parse(args[i].substring(OPTION.length() + 1));
      }
    }
    String fromEnvironment = environment.get(ENVIRONMENT);
    return fromEnvironment == null ? Optional.empty() : parse(fromEnvironment);
  }

  /**
   * Sets {@value #PROPERTY} from the command line or environment, unless it is already set (a system property given
   * with {@code -D} wins). Call before anything creates a logger.
   */
  public static void select(String[] args, Map<String, String> environment) {
    if (System.getProperty(PROPERTY) == null) {
      requested(args, environment).ifPresent(format -> System.setProperty(PROPERTY, format.label()));
    }
  }

  /** The lower-case name used on the command line, in the environment and in the fragment names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static Optional<LogFormat> parse(String value) {
    for (LogFormat format : values()) {
      if (format.label().equalsIgnoreCase(value.trim())) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
