package org.comity.coordinator.console;

import java.util.Locale;

/**
 * What an operator token may do on the console. {@link #READ} may call every {@code GET} route; {@link #ADMIN} may
 * also change the model catalog (promote, roll back). There is deliberately no role that may change the run itself:
 * the console observes training, it does not steer it.
 */
public enum OperatorRole {
  READ,
  ADMIN;

  /** True if a token of this role may call a route that requires {@code required}. */
  public boolean permits(OperatorRole required) {
    return this == ADMIN || required == READ;
  }

  /** Lower-case name, as the CLI and the token file spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code read} or {@code admin} (any case).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static OperatorRole parse(String text) {
    for (OperatorRole role : values()) {
      if (role.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be 'read' or 'admin', got '%s'".formatted(text));
  }
}
