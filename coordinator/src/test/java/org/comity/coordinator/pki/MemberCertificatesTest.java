package org.comity.coordinator.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

class MemberCertificatesTest {
  @Test
  void memberId_doesNotDependOnRdnOrder() {
    X500Name cnFirst = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "bank-a").addRDN(BCStyle.O, "Comity")
        .build();
    X500Name cnLast = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Comity").addRDN(BCStyle.OU, "Fraud")
        .addRDN(BCStyle.CN, "bank-a").build();

    assertEquals(Optional.of("bank-a"), MemberCertificates.memberId(cnFirst));
    assertEquals(Optional.of("bank-a"), MemberCertificates.memberId(cnLast));
  }

  @Test
  void memberId_issuedCertificate_readBackRegardlessOfHowTheJdkPrintsTheDn() throws Exception {
    ConsortiumCa ca = ConsortiumCa.create("CA", java.time.Duration.ofDays(2), java.time.Clock.systemUTC());
    var certificate = ca.enroll(TestBanks.ecBank("CN=bank-a").csrPem(), "bank-a", java.time.Duration.ofDays(1));

    // The JDK prints the RDNs in reverse order (stack trap 7); the parsed rule still finds the CN.
    assertEquals("CN=bank-a, O=Comity", certificate.getSubjectX500Principal().toString());
    assertEquals(Optional.of("bank-a"), MemberCertificates.memberId(certificate));
  }

  @Test
  void memberId_noneTwoOrMultiValuedCn_orInvalidId_empty() {
    X500Name none = new X500Name("O=Comity");
    X500Name two = new X500Name("CN=bank-a,CN=bank-b,O=Comity");
    X500Name multiValued = new X500Name("CN=bank-a+OU=x,O=Comity");
    X500Name invalid = new X500Name("CN=bank a,O=Comity");
    X500Name traversal = new X500Name("CN=../etc,O=Comity");

    for (X500Name name : new X500Name[] {none, two, multiValued, invalid, traversal}) {
      assertEquals(Optional.empty(), MemberCertificates.memberId(name), name.toString());
    }
  }
}
