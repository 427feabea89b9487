package org.comity.coordinator.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A bank's side of enrolment, written independently of the agent module (which the coordinator must not depend
 * on): key pairs and CSRs built with the JDK and BC directly.
 */
final class TestBanks {
  private TestBanks() {}

  record Bank(KeyPair keys, String csrPem) {
    String unencryptedKeyPem() {
      return PemFiles.privateKeyPem(keys.getPrivate(), Optional.empty());
    }
  }

  static Bank ecBank(String subject) {
    return bank(keyPair("EC", new ECGenParameterSpec("secp256r1"), 0), subject, "SHA256withECDSA");
  }

  static Bank bank(KeyPair keys, String subject, String signatureAlgorithm) {
    try {
      var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
          .build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()));
      return new Bank(keys, PemFiles.toPem(csr));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair keyPair(String algorithm, ECGenParameterSpec curve, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (curve != null) {
        generator.initialize(curve);
      } else {
        generator.initialize(bits);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
