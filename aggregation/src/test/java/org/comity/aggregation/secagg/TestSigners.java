package org.comity.aggregation.secagg;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ed25519 identity keys for test banks, standing in for the agent's certificate keys: one key pair per bank id
 * (cached, deterministic from the id), a signer per bank and one verifier that knows every bank's public key.
 */
public final class TestSigners {
  private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();

  private TestSigners() {}

  private static KeyPair keys(String bank) {
    return KEYS.computeIfAbsent(bank, id -> {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, RoundHarness.seeded(id.hashCode()));
        return generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Signs with {@code bank}'s private key. */
  public static ConsistencySigner signer(String bank) {
    KeyPair pair = keys(bank);
    return statement -> {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(statement);
        return s.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** Verifies any test bank's signature with that bank's public key; false for anything malformed. */
  public static ConsistencyVerifier verifier() {
    return (member, statement, signature) -> {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(keys(member).getPublic());
        s.update(statement);
        return s.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    };
  }
}
