package org.comity.pkcs11;

/**
 * A PKCS#11 token that cannot be used as asked: library missing, no such slot or label, PIN refused, unknown key
 * alias. The message says what was wrong and what to do; it never contains the PIN or key material.
 */
public final class TokenException extends Exception {
  private static final long serialVersionUID = 1L;

  public TokenException(String message) {
    super(message);
  }

  public TokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
