package org.comity.coordinator.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The coordinator's TLS identity: its private key and the certificate the consortium CA issued for it.
 * {@link #toString()} does not print the key.
 */
public record ServerIdentity(PrivateKey privateKey, X509Certificate certificate) {

  /**
   * Writes the key (mode 0600, PKCS#8, encrypted when a passphrase is given) and the certificate (PEM). Refuses
   * to overwrite either file; on refusal nothing is written.
   */
  public void save(Path keyFile, Path certificateFile, Optional<char[]> passphrase) throws IOException {
    for (Path file : new Path[] {keyFile, certificateFile}) {
      if (Files.exists(file)) {
        throw new java.nio.file.FileAlreadyExistsException(file.toString(), null,
            "refusing to overwrite an existing file; move it away first if it is really to be replaced");
      }
    }
    PemFiles.writePrivateFile(keyFile, PemFiles.privateKeyPem(privateKey, passphrase));
    PemFiles.writeNewFile(certificateFile, PemFiles.toPem(certificate));
  }

  @Override
  public String toString() {
    return "ServerIdentity[subject=%s, serial=%s, notAfter=%s, privateKey=<redacted>]".formatted(
        certificate.getSubjectX500Principal(), certificate.getSerialNumber().toString(16), certificate.getNotAfter()
            .toInstant());
  }
}
