package org.comity.aggregation.secagg;

/**
 * Checks a bank's signature over a {@link ConsistencyStatement}, keyed by member id. In Comity the key is the
 * member's certificate, already verified against the consortium CA and bound to the member id when the key
 * directory was checked.
 *
 * <p><b>Contract.</b> Returns {@code false}, never throws, for an unknown member, a malformed signature or a
 * signature that does not verify: the caller counts only valid signatures.
 */
@FunctionalInterface
public interface ConsistencyVerifier {
  boolean verify(String member, byte[] statement, byte[] signature);
}
