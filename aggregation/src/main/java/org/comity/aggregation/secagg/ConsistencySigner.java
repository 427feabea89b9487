package org.comity.aggregation.secagg;

/**
 * Signs a {@link ConsistencyStatement} with this bank's long-term identity key (in Comity its certificate key).
 * Injected into the bank's protocol state so that the protocol stays free of key storage and PKI.
 */
@FunctionalInterface
public interface ConsistencySigner {
  /**
   * @param statement the encoded statement, signed as is
   * @return the signature, at most {@link ConsistencyStatement#MAX_SIGNATURE_LENGTH} bytes
   */
  byte[] sign(byte[] statement);
}
