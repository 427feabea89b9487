package org.comity.coordinator.pki;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.comity.coordinator.rpc.FederationService;

/**
 * The rule that ties a certificate to a Comity member: the subject holds exactly one common name, in a
 * single-valued RDN, and it is a valid member id ({@link FederationService#MEMBER_ID}). The DN is parsed, so the
 * order of its RDNs does not matter.
 */
public final class MemberCertificates {
  private MemberCertificates() {}

  /** The member id a certificate names, or empty if its subject does not follow the rule. */
  public static Optional<String> memberId(X509Certificate certificate) {
    return memberId(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()));
  }

  /** The member id a distinguished name names, or empty if it does not follow the rule. */
  public static Optional<String> memberId(X500Name subject) {
    RDN[] commonNames = subject.getRDNs(BCStyle.CN);
    if (commonNames.length != 1 || commonNames[0].isMultiValued()) {
      return Optional.empty();
    }
    if (!(commonNames[0].getFirst().getValue() instanceof ASN1String text)) {
      return Optional.empty();
    }
    String id = text.getString();
    return isValidMemberId(id) ? Optional.of(id) : Optional.empty();
  }

  /** Whether {@code id} follows the member-id rule: 1-64 of letters, digits, '.', '_', '-', starting alphanumeric. */
  public static boolean isValidMemberId(String id) {
    return id != null && FederationService.MEMBER_ID.matcher(id).matches();
  }

  static String describeRule() {
    return "1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit";
  }
}
