package org.comity.coordinator.store;

/**
 * A model registry request that cannot be done as asked: an unknown or ambiguous version, nothing to roll back to.
 * The operator's input is at fault (a command line exits with 2); the message says what to give instead.
 */
public final class CatalogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CatalogException(String message) {
    super(message);
  }
}
