package org.comity.coordinator.pki;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** Parsing of the banks' PKCS#10 requests. */
final class CertificateRequests {
  private CertificateRequests() {}

  static PKCS10CertificationRequest parse(String csrPem) throws PkiException {
    if (csrPem == null || !csrPem.contains("-----BEGIN CERTIFICATE REQUEST-----")) {
      throw new PkiException("not a PEM certificate request (expected -----BEGIN CERTIFICATE REQUEST-----)");
    }
    Object parsed = PemFiles.parseSingle(csrPem, "the CSR");
    if (parsed instanceof PKCS10CertificationRequest csr) {
      return csr;
    }
    throw new PkiException("the CSR text holds a %s, not a certificate request".formatted(parsed.getClass().getSimpleName()));
  }
}
