package org.comity.coordinator.pki;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One certificate issued to a member, as the roster records it.
 *
 * @param serial the certificate's serial number, lower-case hex
 * @param revokedAt when it was revoked, or {@code null} while active
 */
public record EnrolledMember(String memberId, String serial, Instant notAfter, Status status, Instant revokedAt) {
  public enum Status { ACTIVE, REVOKED }

  public EnrolledMember {
    if (!MemberCertificates.isValidMemberId(memberId)) {
      throw new IllegalArgumentException("invalid member id in the roster: '%s'".formatted(memberId));
    }
    if (serial == null || !serial.matches("[0-9a-f]{1,40}")) {
      throw new IllegalArgumentException("serial must be 1-40 lower-case hex digits, got '%s'".formatted(serial));
    }
    if (notAfter == null || status == null) {
      throw new IllegalArgumentException("notAfter and status are required");
    }
    if ((status == Status.REVOKED) != (revokedAt != null)) {
      throw new IllegalArgumentException("revokedAt must be set exactly when the status is REVOKED");
    }
  }

  public BigInteger serialNumber() {
    return new BigInteger(serial, 16);
  }
}
