package org.comity.agent.pki;

/**
 * A key, certificate or passphrase the agent cannot use, with a message that says what was wrong and what to do.
 * Messages never contain key material or passphrases.
 */
public final class PkiException extends Exception {
  private static final long serialVersionUID = 1L;

  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
