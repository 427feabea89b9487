package org.comity.agent.pki;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A minimal CA for the agent's tests, written independently of the coordinator's (the agent module must not
 * depend on it): it signs the agent's CSRs and a server certificate.
 */
final class TestCa {
  private static final AtomicLong SERIALS = new AtomicLong(1000);
  final KeyPair keys = ecKeyPair();
  final X509Certificate certificate;

  TestCa(String name) {
    X500Name subject = new X500Name("CN=" + name + ",O=Comity");
    certificate = issue(subject, SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()), subject, true, null,
        Instant.now().minusSeconds(60), Duration.ofDays(10), (String[]) null);
  }

  String pem() {
    return BankPem.toPem(certificate);
  }

  X509Certificate signCsr(String csrPem, Instant notBefore, Duration validity) throws Exception {
    PKCS10CertificationRequest csr;
    try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
      csr = (PKCS10CertificationRequest) parser.readObject();
    }
    return issue(csr.getSubject(), csr.getSubjectPublicKeyInfo(), name(), false, KeyPurposeId.id_kp_clientAuth,
        notBefore, validity, (String[]) null);
  }

  record Server(X509Certificate certificate, PrivateKey key) {
    String keyPem() {
      return BankPem.privateKeyPem(key, Optional.empty());
    }
  }

  Server server(String... dnsNames) {
    KeyPair pair = ecKeyPair();
    X509Certificate cert = issue(new X500Name("CN=" + dnsNames[0] + ",O=Comity"),
        SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()), name(), false, KeyPurposeId.id_kp_serverAuth,
        Instant.now().minusSeconds(60), Duration.ofDays(1), dnsNames);
    return new Server(cert, pair.getPrivate());
  }

  private X500Name name() {
    return X500Name.getInstance(certificate == null ? null : certificate.getSubjectX500Principal().getEncoded());
  }

  private X509Certificate issue(X500Name subject, SubjectPublicKeyInfo key, X500Name issuer, boolean isCa,
      KeyPurposeId purpose, Instant notBefore, Duration validity, String... dnsNames) {
    try {
      var builder = new X509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
          Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, key)
          .addExtension(Extension.basicConstraints, true, isCa ? new BasicConstraints(0) : new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      if (purpose != null) {
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
      if (dnsNames != null) {
        GeneralName[] names = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
          names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
