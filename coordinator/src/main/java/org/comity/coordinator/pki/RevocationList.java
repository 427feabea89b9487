package org.comity.coordinator.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consortium's revoked certificates: an X.509 v2 CRL whose signature and issuer were checked against the CA
 * certificate when it was loaded. Immutable.
 *
 * <p>The CRL's nextUpdate is informational: the coordinator is both the CRL's signer and its only reader, so a
 * CRL past its nextUpdate is still used (it lists everything revoked up to its signing time).
 */
public final class RevocationList {
  private static final Logger log = LoggerFactory.getLogger(RevocationList.class);
  private static final RevocationList NONE = new RevocationList(null);

  private final X509CRL crl;

  private RevocationList(X509CRL crl) {
    this.crl = crl;
  }

  /** No certificate is revoked. */
  public static RevocationList none() {
    return NONE;
  }

  /**
   * Wraps a CRL after checking that {@code ca} signed it.
   *
   * @throws PkiException if the CRL's issuer is not the CA or its signature does not verify
   */
  public static RevocationList of(X509CRL crl, X509Certificate ca) throws PkiException {
    if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new PkiException("the CRL is issued by %s, not by the consortium CA %s"
          .formatted(crl.getIssuerX500Principal(), ca.getSubjectX500Principal()));
    }
    try {
      crl.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PkiException("the CRL's signature does not verify against the consortium CA", e);
    }
    return new RevocationList(crl);
  }

  /** Reads a PEM CRL from {@code file} and checks it against {@code ca}. */
  public static RevocationList load(Path file, X509Certificate ca) throws IOException, PkiException {
    Object parsed = PemFiles.parseSingle(PemFiles.readText(file), file.toString());
    if (!(parsed instanceof X509CRLHolder holder)) {
      throw new PkiException("%s holds no X.509 CRL (found %s)".formatted(file, parsed.getClass().getSimpleName()));
    }
    try {
      return of(new JcaX509CRLConverter().getCRL(holder), ca);
    } catch (java.security.cert.CRLException e) {
      throw new PkiException(file + " holds a malformed CRL", e);
    }
  }

  /** Whether the CRL lists {@code certificate} (same issuer and serial). */
  public boolean isRevoked(X509Certificate certificate) {
    return crl != null && crl.isRevoked(certificate);
  }

  /** How many certificates are listed. */
  public int size() {
    return crl == null || crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
  }

  /** When the CRL was signed; empty for {@link #none()}. */
  public Optional<Instant> thisUpdate() {
    return crl == null ? Optional.empty() : Optional.of(crl.getThisUpdate().toInstant());
  }

  /** The CRL as PEM; empty for {@link #none()}. */
  public Optional<String> pem() {
    return crl == null ? Optional.empty() : Optional.of(PemFiles.toPem(crl));
  }

  /** Writes the CRL to {@code file}, replacing any previous CRL atomically. */
  public void writeTo(Path file) throws IOException {
    if (crl == null) {
      throw new IllegalStateException("the empty revocation list has no CRL to write; sign one with ConsortiumCa");
    }
    PemFiles.replaceFile(file, PemFiles.toPem(crl));
  }

  /**
   * A supplier for {@link MemberIdentityInterceptor} that re-reads {@code file} whenever its modification time or
   * size changes, so a {@code revoke} by the operator takes effect on the next call without a restart.
   *
   * <p>The file is read once here: a missing file means no revocations yet, an invalid one is an error. A later
   * invalid or unreadable file keeps the last valid list in force and is logged as an error.
   */
  public static Supplier<RevocationList> reloading(Path file, X509Certificate ca) throws IOException, PkiException {
    return new Reloading(file, ca);
  }

  @Override
  public String toString() {
    return "RevocationList[%d revoked, thisUpdate=%s]".formatted(size(), thisUpdate().map(Instant::toString).orElse("-"));
  }

  private static final class Reloading implements Supplier<RevocationList> {
    private final Path file;
    private final X509Certificate ca;
    private RevocationList current;
    private Object stamp;

    Reloading(Path file, X509Certificate ca) throws IOException, PkiException {
      this.file = file;
      this.ca = ca;
      this.stamp = stampOf(file);
      this.current = stamp == null ? none() : load(file, ca);
    }

    @Override
    public synchronized RevocationList get() {
      Object now;
      try {
        now = stampOf(file);
      } catch (IOException e) {
        log.error("cannot read {}; the revocation list signed at {} stays in force", file, current.thisUpdate(), e);
        return current;
      }
      if (now != null && !now.equals(stamp)) {
        try {
          current = load(file, ca);
          log.info("revocation list reloaded from {}: {} revoked", file, current.size());
        } catch (IOException | PkiException e) {
          log.error("invalid revocation list in {}; the previous one stays in force: {}", file, e.getMessage());
        }
        stamp = now;
      }
      return current;
    }

    private static Object stampOf(Path file) throws IOException {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        FileTime modified = attributes.lastModifiedTime();
        return modified.toMillis() + "/" + attributes.size() + "/" + attributes.fileKey();
      } catch (NoSuchFileException e) {
        return null;
      }
    }
  }
}
