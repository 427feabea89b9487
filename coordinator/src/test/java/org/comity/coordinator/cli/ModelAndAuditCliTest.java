package org.comity.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.PreparedStatement;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.comity.coordinator.audit.AuditSignerKey;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.DatabaseUrl;
import org.comity.coordinator.store.JdbcRunJournal;
import org.comity.coordinator.store.JournalFixtures;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code model} and {@code audit} commands, and the member commands' audit hook, end to end on SQLite. */
class ModelAndAuditCliTest {
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

  /** A store in which run-1 committed versions 1 and 2. */
  private String storeWithTwoVersions() {
    String url = "jdbc:sqlite:" + dir.resolve("coordinator.db");
    FederationPlan plan = JournalFixtures.plan("cli-test");
    String hash = PlanHash.of(plan);
    try (Database database = Database.open(DatabaseUrl.parse(url), null, null)) {
      JdbcRunJournal journal = new JdbcRunJournal(database);
      journal.runStarted("run-1", plan, hash, JournalFixtures.T0);
      journal.roundFinished("run-1", JournalFixtures.report(1, 1, RoundPhase.COMMITTED, 1),
          JournalFixtures.version("run-1", hash, 1, 1, List.of("bank-a", "bank-b")), JournalFixtures.checkpoint(2, 1));
      journal.roundFinished("run-1", JournalFixtures.report(2, 1, RoundPhase.COMMITTED, 2),
          JournalFixtures.version("run-1", hash, 2, 2, List.of("bank-b", "bank-c")), JournalFixtures.checkpoint(3, 2));
    }
    return url;
  }

  @Test
  void modelCommands_listShowCompare_printTheRegistry() throws Exception {
    String url = storeWithTwoVersions();

    Run list = run("model", "list", "--database", url);
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().contains("run-1") && list.out().lines().count() == 3, list.out());

    Run json = run("model", "list", "--database", url, "--json");
    JsonNode versions = new ObjectMapper().readTree(json.out());
    assertEquals(2, versions.size());
    assertEquals(0.82, versions.get(1).get("rocAuc").asDouble(), 1e-12);

    Run show = run("model", "show", "--database", url, "--version", "2", "--json");
    assertEquals(0, show.exitCode(), show.err());
    JsonNode shown = new ObjectMapper().readTree(show.out());
    assertEquals("[\"bank-b\",\"bank-c\"]", shown.get("participants").toString());
    assertEquals(64, shown.get("planHash").asText().length());

    Run compare = run("model", "compare", "--database", url, "--version", "1", "--against", "run-1:2");
    assertEquals(0, compare.exitCode(), compare.err());
    assertTrue(compare.out().contains("same plan") && compare.out().contains("roc_auc        +0.0100")
        && compare.out().contains("added: [bank-c]; removed: [bank-a]"), compare.out());

    Run unknown = run("model", "show", "--database", url, "--version", "9");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("no committed model version v9"), unknown.err());
  }

  @Test
  void promoteRollback_areRecordedAndAudited_andTheTrailVerifiesInTheStoreAndInAnExport() throws Exception {
    // given
    String url = storeWithTwoVersions();
    String key = dir.resolve("audit.pem").toString();

    // when
    Run first = run("model", "promote", "--database", url, "--version", "1", "--actor", "alice", "--reason",
        "first model", "--audit-key", key);
    Run second = run("model", "promote", "--database", url, "--version", "2", "--actor", "bob", "--audit-key", key);
    Run back = run("model", "rollback", "--database", url, "--actor", "carol", "--reason", "too many alerts",
        "--audit-key", key);
    Run noMore = run("model", "rollback", "--database", url, "--audit-key", key);

    // then
    assertEquals(List.of(0, 0, 0), List.of(first.exitCode(), second.exitCode(), back.exitCode()), back.err());
    assertTrue(back.out().contains("rolled back to run-1:1 (by carol)"), back.out());
    assertEquals(2, noMore.exitCode());
    assertTrue(noMore.err().contains("no previously promoted version"), noMore.err());
    assertTrue(run("model", "list", "--database", url).out().contains("* 1 "));
    Run list = run("audit", "list", "--database", url, "--json");
    JsonNode entries = new ObjectMapper().readTree(list.out());
    assertEquals(3, entries.size());
    assertEquals("too many alerts", entries.get(2).get("details").get("reason").asText());

    Run verify = run("audit", "verify", "--database", url);
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    assertTrue(verify.out().contains("OK: 3 entries, head " + entries.get(2).get("hash").asText()), verify.out());

    Path export = dir.resolve("trail.json");
    assertEquals(0, run("audit", "export", "--database", url, "--out", export.toString()).exitCode());
    Run verifyFile = run("audit", "verify", "--file", export.toString());
    assertEquals(0, verifyFile.exitCode(), verifyFile.out());

    // and when someone edits an entry in the store, verify names it and exits 1
    try (Database database = Database.open(DatabaseUrl.parse(url), null, null)) {
      database.inTransaction(connection -> {
        try (PreparedStatement update = connection.prepareStatement(
            "UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2")) {
          update.executeUpdate();
        }
        return null;
      });
    }
    Run tampered = run("audit", "verify", "--database", url);
    assertEquals(1, tampered.exitCode());
    assertTrue(tampered.out().contains("FAILED at entry 2: hash mismatch"), tampered.out());
  }

  @Test
  void memberEnrollAndRevoke_withADatabase_appendSignedEntries_withTheServerKey() throws Exception {
    // given: a consortium CA with its server key, and a bank's CSR
    Path pki = dir.resolve("pki");
    Path passphrase = Files.writeString(dir.resolve("pass.txt"), "correct horse battery staple\n");
    assertEquals(0, run("ca", "init", "--pki-dir", pki.toString(), "--passphrase-file", passphrase.toString())
        .exitCode());
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var keys = generator.generateKeyPair();
    var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bank-a"), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    Path csrFile = Files.writeString(dir.resolve("bank-a.csr"), PemFiles.toPem(csr));
    String url = "jdbc:sqlite:" + dir.resolve("members.db");

    // when
    Run enroll = run("member", "enroll", "--csr", csrFile.toString(), "--member-id", "bank-a", "--pki-dir",
        pki.toString(), "--passphrase-file", passphrase.toString(), "--database", url, "--actor", "alice");
    Run revoke = run("member", "revoke", "bank-a", "--pki-dir", pki.toString(), "--passphrase-file",
        passphrase.toString(), "--database", url, "--actor", "alice");

    // then
    assertEquals(0, enroll.exitCode(), enroll.err());
    assertEquals(0, revoke.exitCode(), revoke.err());
    assertTrue(enroll.out().contains("audit trail entry 1 (member.enrolled)"), enroll.out());
    assertTrue(revoke.out().contains("audit trail entry 2 (member.revoked)"), revoke.out());
    String serverKeyId = AuditSignerKey.keyIdOf(PemFiles.readCertificate(
        Files.readString(pki.resolve("server.crt")), "server.crt").getPublicKey());
    Run verify = run("audit", "verify", "--database", url, "--trusted-key", serverKeyId);
    assertEquals(0, verify.exitCode(), verify.out());
    assertTrue(verify.out().contains("OK: 2 entries"), verify.out());
  }

  @Test
  void badDatabaseInput_isExit2WithAMessageNamingIt() {
    Run unsupported = run("model", "list", "--database", "jdbc:mysql://db/comity");
    assertEquals(2, unsupported.exitCode());
    assertTrue(unsupported.err().contains("is not supported"), unsupported.err());

    Run missing = run("audit", "verify", "--database", "jdbc:sqlite:" + dir.resolve("absent.db"));
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("no store at") && missing.err().contains("--database"), missing.err());
    assertFalse(Files.exists(dir.resolve("absent.db")), "a read command must not create a store");

    Run badHead = run("audit", "verify", "--file", dir.resolve("x.json").toString(), "--expect-head", "abc");
    assertEquals(2, badHead.exitCode());
    assertTrue(badHead.err().contains("--expect-head must be 64 hex digits"), badHead.err());
  }

  @Test
  void modelExport_writesTheServingLayoutOfTheVersion_andRefusesToOverwrite() throws Exception {
    // a store whose version 2 has weights in the plan's layout (the fixtures' weights are arbitrary)
    String url = "jdbc:sqlite:" + dir.resolve("export.db");
    FederationPlan plan = JournalFixtures.plan("export-test");
    String hash = PlanHash.of(plan);
    try (Database database = Database.open(DatabaseUrl.parse(url), null, null)) {
      JdbcRunJournal journal = new JdbcRunJournal(database);
      journal.runStarted("run-1", plan, hash, JournalFixtures.T0);
      for (int v = 1; v <= 2; v++) {
        journal.roundFinished("run-1", JournalFixtures.report(v, 1, RoundPhase.COMMITTED, v),
            new org.comity.coordinator.model.ModelVersion(v, "run-1", hash, v,
                plan.modelLayout().initialWeights(v), JournalFixtures.normalization(), null, List.of("bank-a"),
                JournalFixtures.T0.plusSeconds(v), 0.0), JournalFixtures.checkpoint(v + 1, v));
      }
    }
    Path out = dir.resolve("serving");

    Run export = run("model", "export", "--database", url, "--version", "2", "--out", out.toString());
    assertEquals(0, export.exitCode(), export.err() + export.out());
    assertTrue(java.nio.file.Files.isRegularFile(out.resolve("2").resolve("saved_model.pb")), export.out());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("2").resolve("comity-model.json").toFile());
    assertTrue(manifest.toString().contains(PlanHash.of(plan)), manifest.toString());
    assertTrue(export.out().contains("exported version 2 of run run-1"), export.out());

    Run again = run("model", "export", "--database", url, "--version", "2", "--out", out.toString());
    assertEquals(2, again.exitCode(), again.err());
    Run unknown = run("model", "export", "--database", url, "--version", "7", "--out", out.toString());
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("no committed model version v7"), unknown.err());
  }

  @Test
  void everyNewCommand_hasHelp() {
    for (String[] command : new String[][] {{"model"}, {"model", "list"}, {"model", "show"}, {"model", "compare"},
        {"model", "promote"}, {"model", "rollback"}, {"model", "export"}, {"audit"}, {"audit", "verify"}, {"audit", "export"},
        {"audit", "list"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";
      Run help = run(args);
      assertEquals(0, help.exitCode(), String.join(" ", args));
      assertTrue(help.out().contains("Usage: comity-coordinator " + String.join(" ", command)), help.out());
    }
  }
}
