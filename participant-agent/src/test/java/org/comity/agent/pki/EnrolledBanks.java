package org.comity.agent.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Test fixture for other packages: banks enrolled under one test consortium CA, each with its key signer. */
public final class EnrolledBanks {
  private EnrolledBanks() {}

  /** Generates each member's key and CSR under {@code dir}, has the CA sign it, and loads its signer. */
  public static Map<String, SecAggKeySigner> enrol(Path dir, String... members) throws Exception {
    TestCa ca = new TestCa("consortium");
    Map<String, SecAggKeySigner> signers = new LinkedHashMap<>();
    for (String member : members) {
      Path memberDir = Files.createDirectories(dir.resolve(member));
      var generated = BankKeys.generate(member, memberDir.resolve("k.key"), memberDir.resolve("k.csr"),
          Optional.empty());
      var certificate = ca.signCsr(Files.readString(generated.csrFile()), Instant.now().minusSeconds(60),
          Duration.ofDays(1));
      Files.writeString(memberDir.resolve("k.crt"), BankPem.toPem(certificate));
      Files.writeString(memberDir.resolve("ca.crt"), ca.pem());
      signers.put(member, SecAggKeySigner.load(memberDir.resolve("ca.crt"), memberDir.resolve("k.crt"),
          generated.keyFile(), Optional.empty()));
    }
    return signers;
  }
}
