package org.comity.pkcs11;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates for token key entries in tests (the JDK key store keeps a key only with one). */
final class TestCertificates {
  private TestCertificates() {}

  static X509Certificate selfSigned(KeyPair pair, Pkcs11Token token) throws Exception {
    X500Name subject = new X500Name("CN=test,O=Comity");
    Instant now = Instant.now();
    return new JcaX509CertificateConverter().getCertificate(new X509v3CertificateBuilder(subject, BigInteger.TWO,
        Date.from(now), Date.from(now.plus(Duration.ofDays(1))), subject,
        SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()))
        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(token.provider()).build(pair.getPrivate())));
  }
}
