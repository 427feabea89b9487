package org.comity.agent.pki;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Warns a bank before its short-lived client certificate stops working. */
public final class CertificateExpiry {
  /** Default warning period before expiry. */
  public static final Duration DEFAULT_WARN_BEFORE = Duration.ofDays(14);

  private CertificateExpiry() {}

  /** {@link #warning(X509Certificate, Clock, Duration)} with {@link #DEFAULT_WARN_BEFORE}. */
  public static Optional<String> warning(X509Certificate certificate, Clock clock) {
    return warning(certificate, clock, DEFAULT_WARN_BEFORE);
  }

  /**
   * A message if the certificate has expired, is not valid yet, or expires within {@code warnBefore}; empty when
   * it stays valid for longer.
   */
  public static Optional<String> warning(X509Certificate certificate, Clock clock, Duration warnBefore) {
    if (warnBefore.isNegative()) {
      throw new IllegalArgumentException("warnBefore must not be negative, got " + warnBefore);
    }
    Instant now = clock.instant();
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    String subject = certificate.getSubjectX500Principal().getName();
    if (!now.isBefore(notAfter)) {
      return Optional.of(("the client certificate (%s) expired at %s: the coordinator will refuse the connection; "
          + "send a new CSR to the consortium operator").formatted(subject, notAfter));
    }
    if (now.isBefore(notBefore)) {
      return Optional.of("the client certificate (%s) is not valid before %s: check this machine's clock"
          .formatted(subject, notBefore));
    }
    Duration left = Duration.between(now, notAfter);
    if (left.compareTo(warnBefore) <= 0) {
      return Optional.of("the client certificate (%s) expires at %s, in %s: ask the consortium operator for a new one"
          .formatted(subject, notAfter, describe(left)));
    }
    return Optional.empty();
  }

  private static String describe(Duration left) {
    if (left.toDays() >= 1) {
      return left.toDays() + (left.toDays() == 1 ? " day" : " days");
    }
    if (left.toHours() >= 1) {
      return left.toHours() + (left.toHours() == 1 ? " hour" : " hours");
    }
    return Math.max(1, left.toMinutes()) + " minutes";
  }
}
