package org.comity.coordinator.pki;

/**
 * An input the consortium PKI refuses (a CSR, a key, a certificate, a passphrase), with a message that says what
 * was wrong and what is allowed. Messages never contain key material or passphrases.
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
