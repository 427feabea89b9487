package org.comity.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.comity.coordinator.pki.PemFiles;
import org.comity.pkcs11.SoftHsmTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorCliTest {
  @TempDir
  Path dir;

  private record Run(int exitCode, String out, String err) {}

  private Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = CoordinatorMain.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void planCheck_validPlan_printsSummaryAndHash_exit0() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}, {name: b}]\n");
    Run result = run("plan", "check", "--plan", plan.toString());
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("model: 2-128-64-32-1 relu"), result.out());
    assertTrue(result.out().matches("(?s).*plan hash: [0-9a-f]{64}.*"), result.out());
  }

  @Test
  void planCheck_malformedPlan_namesTheKey_exit2() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\nrounds: {count: 0}\n");
    Run result = run("plan", "check", "--plan", plan.toString());
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("rounds.count: value 0 is out of range: allowed 1 to 100000"), result.err());
  }

  @Test
  void planCheck_secureAggregation_printsTheDerivedGraph_andRefusesAnInsecureOverride() throws Exception {
    Path derived = Files.writeString(dir.resolve("sa.yaml"), "label: y\nfeatures: [{name: a}]\n"
        + "rounds: {min_quorum: 3, min_members_to_start: 20}\nsecure_aggregation: {enabled: true}\n");
    Run ok = run("plan", "check", "--plan", derived.toString());
    assertEquals(0, ok.exitCode(), ok.err());
    assertTrue(ok.out().contains("secure aggregation: for 20 banks per round"), ok.out());
    assertTrue(ok.out().contains("consistency check off"), ok.out());
    Path override = Files.writeString(dir.resolve("bad.yaml"), "label: y\nfeatures: [{name: a}]\n"
        + "rounds: {min_quorum: 3, min_members_to_start: 20}\n"
        + "secure_aggregation: {enabled: true, neighbours: 4, threshold: 2, corrupt_fraction: 0.3}\n");
    Run refused = run("plan", "check", "--plan", override.toString());
    assertEquals(2, refused.exitCode(), refused.out());
    assertTrue(refused.err().contains("secure_aggregation: for 20 banks per round"), refused.err());
  }

  @Test
  void caInit_withAShortPassphrase_isRefused_andWritesNothing() throws Exception {
    Path passphrase = Files.writeString(dir.resolve("pass.txt"), "short\n");
    Run result = run("ca", "init", "--pki-dir", dir.resolve("pki").toString(), "--passphrase-file", passphrase.toString());
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("too short: a passphrase needs at least 12 characters"), result.err());
    assertTrue(!Files.exists(dir.resolve("pki").resolve("ca.key")));
  }

  @Test
  void run_nonLoopbackBindWithoutTls_isRefused_exit2() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\n");
    Run result = run("run", "--plan", plan.toString(), "--bind", "0.0.0.0", "--port", "0");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("not a loopback address"), result.err());
  }

  @Test
  void badUsage_exit2_andHelp_exit0() {
    assertEquals(2, run("plan", "check").exitCode(), "missing --plan");
    assertEquals(2, run("frobnicate").exitCode());
    Run help = run("run", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--plan"), help.out());
    assertEquals(2, run("run", "--plan", "x.yaml", "--poll-timeout", "soon").exitCode());
  }

  @Test
  void caInitInToken_thenEnrollWithTheTokenKey_noKeyFileAndTheCertificateVerifies() throws Exception {
    // given
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    Path pki = dir.resolve("pki");
    String[] tokenOptions = {"--pkcs11-library", token.library().toString(), "--pkcs11-token-label", token.label()};
    Path csr = Files.writeString(dir.resolve("bank-a.csr"), bankCsr("bank-a"));

    // when
    Run init = run(concat(new String[] {"ca", "init", "--pki-dir", pki.toString()}, tokenOptions));
    Run enroll = run(concat(new String[] {"member", "enroll", "--pki-dir", pki.toString(), "--csr", csr.toString(),
        "--member-id", "bank-a"}, tokenOptions));

    // then
    assertEquals(0, init.exitCode(), init.err());
    assertTrue(init.out().contains("key comity-ca in token '" + token.label() + "'"), init.out());
    assertFalse(Files.exists(pki.resolve("ca.key")), "a token CA writes no key file");
    assertEquals(0, enroll.exitCode(), enroll.err());
    X509Certificate caCertificate = PemFiles.readCertificate(Files.readString(pki.resolve("ca.crt")), "ca");
    PemFiles.readCertificate(Files.readString(pki.resolve("bank-a.crt")), "member").verify(caCertificate.getPublicKey());
  }

  @Test
  void enroll_caKeyInTokenButNoTokenOptions_saysWhichOptionsAreMissing() throws Exception {
    Path pki = Files.createDirectories(dir.resolve("pki"));
    Files.writeString(pki.resolve("ca.crt"), "certificate only");
    Path csr = Files.writeString(dir.resolve("bank-a.csr"), bankCsr("bank-a"));

    Run enroll = run("member", "enroll", "--pki-dir", pki.toString(), "--csr", csr.toString(), "--member-id", "bank-a");

    assertEquals(2, enroll.exitCode());
    assertTrue(enroll.err().contains("if the CA key is in a PKCS#11 token, give --pkcs11-library"), enroll.err());
  }

  @Test
  void caInitInToken_wrongPin_missingLibrary_orPassphraseToo_exit2AndNothingWritten() throws Exception {
    SoftHsmTokens.Token otherPin = SoftHsmTokens.freshWithOtherPin();
    Path pki = dir.resolve("pki");
    Path passphrase = Files.writeString(dir.resolve("pass.txt"), "a long enough passphrase\n");

    Run wrongPin = run("ca", "init", "--pki-dir", pki.toString(), "--pkcs11-library", otherPin.library().toString(),
        "--pkcs11-slot", Long.toString(otherPin.slot()));
    Run missingLibrary = run("ca", "init", "--pki-dir", pki.toString(), "--pkcs11-library", "/nonexistent/p11.so",
        "--pkcs11-slot", "0");
    Run both = run("ca", "init", "--pki-dir", pki.toString(), "--pkcs11-library", otherPin.library().toString(),
        "--pkcs11-slot", "0", "--passphrase-file", passphrase.toString());
    Run aliasOnly = run("ca", "init", "--pki-dir", pki.toString(), "--key-alias", "ca");

    assertEquals(2, wrongPin.exitCode());
    assertTrue(wrongPin.err().contains("refused the PIN"), wrongPin.err());
    assertFalse(wrongPin.err().contains(SoftHsmTokens.PIN));
    assertEquals(2, missingLibrary.exitCode());
    assertTrue(missingLibrary.err().contains("--pkcs11-library: no such file /nonexistent/p11.so"), missingLibrary.err());
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("--passphrase-file"), both.err());
    assertEquals(2, aliasOnly.exitCode());
    assertTrue(aliasOnly.err().contains("they need --pkcs11-library"), aliasOnly.err());
    assertFalse(Files.exists(pki.resolve("ca.crt")));
  }

  @Test
  void caInitAndMember_help_listTheTokenOptions() {
    assertTrue(run("ca", "init", "--help").out().contains("--pkcs11-token-label"));
    assertTrue(run("member", "enroll", "--help").out().contains("--pkcs11-library"));
    assertTrue(run("member", "revoke", "--help").out().contains("--key-alias"));
  }

  private static String bankCsr(String memberId) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    return PemFiles.toPem(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + memberId + ",O=Comity"),
        keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
