package org.comity.agent.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateExpiryTest {
  private static final Instant ISSUED = Instant.parse("2026-11-01T00:00:00Z");
  private static X509Certificate certificate;

  @BeforeAll
  static void issue(@TempDir Path dir) throws Exception {
    BankKeys.generate("bank-a", dir.resolve("k"), dir.resolve("c"), Optional.empty());
    certificate = new TestCa("ca").signCsr(Files.readString(dir.resolve("c")), ISSUED, Duration.ofDays(30));
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void warning_longBeforeExpiry_none() {
    assertEquals(Optional.empty(), CertificateExpiry.warning(certificate, at(ISSUED.plus(Duration.ofDays(10)))));
  }

  @Test
  void warning_withinTheWarningPeriod_saysWhen() {
    Optional<String> warning = CertificateExpiry.warning(certificate, at(ISSUED.plus(Duration.ofDays(25))));

    assertTrue(warning.orElseThrow().contains("expires at 2026-12-01T00:00:00Z, in 5 days"), warning.toString());
  }

  @Test
  void warning_customPeriod_respected() {
    Clock clock = at(ISSUED.plus(Duration.ofDays(25)));

    assertEquals(Optional.empty(), CertificateExpiry.warning(certificate, clock, Duration.ofDays(3)));
  }

  @Test
  void warning_expired_saysExpired() {
    Optional<String> warning = CertificateExpiry.warning(certificate, at(ISSUED.plus(Duration.ofDays(30))));

    assertTrue(warning.orElseThrow().contains("expired at"), warning.toString());
  }

  @Test
  void warning_notYetValid_pointsAtTheClock() {
    Optional<String> warning = CertificateExpiry.warning(certificate, at(ISSUED.minus(Duration.ofDays(1))));

    assertTrue(warning.orElseThrow().contains("clock"), warning.toString());
  }
}
