package org.comity.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.SoftHsmTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCliTest {
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
      int code = AgentMain.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void check_goodFile_exit0_badFile_exit2WithLineAndColumn() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}, {name: b}]\n");
    Path good = Files.writeString(dir.resolve("good.csv"), "a,b,y\n1,2,0\n3,4,1\n");
    Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b,y\n1,x,0\n3,4,1\n");
    Run ok = run("check", "--plan", plan.toString(), "--data", good.toString());
    assertEquals(0, ok.exitCode(), ok.err());
    assertTrue(ok.out().contains("OK, 2 rows, 1 positives"), ok.out());
    Run failed = run("check", "--plan", plan.toString(), "--data", bad.toString());
    assertEquals(2, failed.exitCode());
    assertTrue(failed.err().contains("column 'b': value is not a number (1 occurrence; line 2)"), failed.err());
  }

  @Test
  void run_badFlags_exit2_beforeAnythingIsSent() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\n");
    Path data = Files.writeString(dir.resolve("d.csv"), "a,y\n1,0\n2,1\n");
    Run device = run("run", "--plan", plan.toString(), "--data", data.toString(), "--coordinator", "127.0.0.1:1",
        "--member-id", "bank-a", "--device", "tpu");
    assertEquals(2, device.exitCode());
    assertTrue(device.err().contains("--device"), device.err());
    Run target = run("run", "--plan", plan.toString(), "--data", data.toString(), "--coordinator", "nohostport",
        "--member-id", "bank-a");
    assertEquals(2, target.exitCode());
    assertTrue(target.err().contains("--coordinator must be HOST:PORT"), target.err());
    assertEquals(2, run("run", "--plan", plan.toString()).exitCode(), "missing required options");
    Run port = run("run", "--plan", plan.toString(), "--data", data.toString(), "--coordinator", "127.0.0.1:1",
        "--member-id", "bank-a", "--metrics-port", "70000");
    assertEquals(2, port.exitCode());
    assertTrue(port.err().contains("--metrics-port must be 0-65535, got 70000"), port.err());
  }

  @Test
  void run_badData_exit2_andTheStatusFileSaysWhy() throws Exception {
    // given
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}, {name: b}]\n");
    Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b,y\n1,x,0\n3,4,1\n");
    Path statusFile = dir.resolve("state/status.json");
    // when
    Run result = run("run", "--plan", plan.toString(), "--data", bad.toString(), "--coordinator", "127.0.0.1:1",
        "--member-id", "bank-a", "--status-file", statusFile.toString());
    // then
    assertEquals(2, result.exitCode(), result.err());
    Run status = run("status", "--status-file", statusFile.toString());
    assertEquals(0, status.exitCode(), status.err());
    assertTrue(status.out().contains("connection: STOPPED since"), status.out());
    assertTrue(status.out().contains("the data check found 1 problem(s)"), status.out());
    assertTrue(status.out().contains("data check: 2 rows, positive rate 0.000%, 1 problem(s)"), status.out());
  }

  private String sqliteTable(String rows) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("bank.db");
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url);
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE tx (a REAL, b REAL, y INTEGER)");
      statement.execute("INSERT INTO tx VALUES " + rows);
    }
    return url;
  }

  @Test
  void check_fromADatabaseQuery_exit0_badRow_exit2WithColumnAndRow() throws Exception {
    // given
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a, max: 10}, {name: b}]\n");
    String url = sqliteTable("(1, 2, 0), (3, 4, 1), (30, 4, 1)");
    // when
    Run ok = run("check", "--plan", plan.toString(), "--jdbc-url", url, "--query", "SELECT a, b, y FROM tx WHERE a < 10");
    Run bad = run("check", "--plan", plan.toString(), "--jdbc-url", url, "--query", "SELECT a, b, y FROM tx");
    // then
    assertEquals(0, ok.exitCode(), ok.err());
    assertTrue(ok.out().contains("OK, 2 rows, 1 positives"), ok.out());
    assertEquals(2, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("column 'a': value is outside the plan's range [-inf, 10.0] (1 occurrence; row 3)"),
        bad.err());
  }

  @Test
  void dataFlags_csvAndQueryTogetherOrQueryHalfGiven_exit2() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\n");
    Path data = Files.writeString(dir.resolve("d.csv"), "a,y\n1,0\n2,1\n");
    Run both = run("check", "--plan", plan.toString(), "--data", data.toString(), "--jdbc-url", "jdbc:sqlite:x.db",
        "--query", "SELECT 1");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("mutually exclusive"), both.err());
    Run half = run("check", "--plan", plan.toString(), "--jdbc-url", "jdbc:sqlite:x.db");
    assertEquals(2, half.exitCode());
    assertTrue(half.err().contains("--query"), half.err());
    Run none = run("check", "--plan", plan.toString());
    assertEquals(2, none.exitCode());
    Run password = run("check", "--plan", plan.toString(), "--jdbc-url", "jdbc:postgresql://h/db?password=x",
        "--query", "SELECT 1");
    assertEquals(2, password.exitCode());
    assertTrue(password.err().contains("COMITY_DB_PASSWORD"), password.err());
  }

  @Test
  void score_help_exit0_andNamesItsFlags_missingModel_exit2() throws Exception {
    Run help = run("score", "--help");
    assertEquals(0, help.exitCode());
    for (String flag : new String[] {"--plan", "--model", "--version", "--data", "--jdbc-url", "--query", "--id-column",
        "--out"}) {
      assertTrue(help.out().contains(flag), flag + " in " + help.out());
    }
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\n");
    Path data = Files.writeString(dir.resolve("d.csv"), "a\n1\n");
    Files.createDirectories(dir.resolve("models"));
    Run missing = run("score", "--plan", plan.toString(), "--model", dir.resolve("models").toString(), "--data",
        data.toString(), "--out", dir.resolve("s.csv").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("holds neither comity-model.json nor numbered version directories"),
        missing.err());
  }

  @Test
  void keygen_inToken_writesOnlyTheCsr_andSaysTheKeyStaysInTheToken() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    Path csr = dir.resolve("requests/bank-a.csr");

    Run keygen = run("keygen", "--member-id", "bank-a", "--pkcs11-library", token.library().toString(),
        "--pkcs11-token-label", token.label(), "--csr-out", csr.toString());

    assertEquals(0, keygen.exitCode(), keygen.err());
    assertTrue(keygen.out().contains("alias bank-a (generated in the token, not extractable)"), keygen.out());
    assertTrue(Files.readString(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
    try (var files = Files.walk(dir)) {
      assertTrue(files.noneMatch(file -> file.toString().endsWith(".key")), "no key file in token mode");
    }
    try (Pkcs11Token opened = token.open("bank-a")) {
      assertNull(opened.privateKey("bank-a").getEncoded());
    }
  }

  @Test
  void keygen_tokenOptions_badCombinations_exit2NamingTheFlags() throws Exception {
    Path passphrase = Files.writeString(dir.resolve("pass"), "a long passphrase\n");

    Run noLibrary = run("keygen", "--member-id", "bank-a", "--pkcs11-slot", "1");
    Run missingLibrary = run("keygen", "--member-id", "bank-a", "--pkcs11-library", "/nonexistent/libpkcs11.so",
        "--pkcs11-slot", "1");
    Run both = run("keygen", "--member-id", "bank-a", "--pkcs11-library", "/nonexistent/libpkcs11.so",
        "--pkcs11-slot", "1", "--pkcs11-token-label", "bank");
    Run withPassphrase = run("keygen", "--member-id", "bank-a", "--pkcs11-library", "/nonexistent/libpkcs11.so",
        "--pkcs11-slot", "1", "--passphrase-file", passphrase.toString());

    assertEquals(2, noLibrary.exitCode());
    assertTrue(noLibrary.err().contains("they need --pkcs11-library"), noLibrary.err());
    assertEquals(2, missingLibrary.exitCode());
    assertTrue(missingLibrary.err().contains("--pkcs11-library: no such file /nonexistent/libpkcs11.so"),
        missingLibrary.err());
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("either --pkcs11-slot or --pkcs11-token-label, not both"), both.err());
    assertEquals(2, withPassphrase.exitCode());
    assertTrue(withPassphrase.err().contains("--passphrase-file"), withPassphrase.err());
  }

  @Test
  void keygen_wrongPin_exit2WithoutThePin() {
    SoftHsmTokens.Token token = SoftHsmTokens.freshWithOtherPin();

    Run keygen = run("keygen", "--member-id", "bank-a", "--pkcs11-library", token.library().toString(),
        "--pkcs11-slot", Long.toString(token.slot()), "--out-dir", dir.toString());

    assertEquals(2, keygen.exitCode());
    assertTrue(keygen.err().contains("refused the PIN"), keygen.err());
    assertFalse(keygen.err().contains(SoftHsmTokens.PIN), keygen.err());
    assertFalse(Files.exists(dir.resolve("bank-a.csr")));
  }

  @Test
  void run_tokenKeyAliasUnknown_exit2BeforeDialling() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\n");
    Path data = Files.writeString(dir.resolve("d.csv"), "a,y\n1,0\n2,1\n3,0\n4,1\n");

    Run agent = run("run", "--plan", plan.toString(), "--data", data.toString(), "--coordinator", "127.0.0.1:1",
        "--member-id", "bank-a", "--tls-ca", "ca.crt", "--tls-cert", "bank-a.crt",
        "--pkcs11-library", token.library().toString(), "--pkcs11-token-label", token.label(), "--key-alias", "bank-z");

    assertEquals(2, agent.exitCode(), agent.err());
    assertTrue(agent.err().contains("--key-alias 'bank-z': token '" + token.label()), agent.err());
    assertTrue(agent.err().contains("it holds no keys"), agent.err());
  }

  @Test
  void run_keyFileAndToken_orTokenWithoutCertificate_exit2() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\n");
    Path data = Files.writeString(dir.resolve("d.csv"), "a,y\n1,0\n2,1\n");

    Run both = run("run", "--plan", plan.toString(), "--data", data.toString(), "--coordinator", "127.0.0.1:1",
        "--member-id", "bank-a", "--tls-ca", "ca.crt", "--tls-cert", "c.crt", "--tls-key", "k.key",
        "--pkcs11-library", "/usr/lib/softhsm/libsofthsm2.so", "--pkcs11-slot", "1");
    Run noCertificate = run("run", "--plan", plan.toString(), "--data", data.toString(), "--coordinator",
        "127.0.0.1:1", "--member-id", "bank-a", "--tls-ca", "ca.crt",
        "--pkcs11-library", "/usr/lib/softhsm/libsofthsm2.so", "--pkcs11-slot", "1");

    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("--tls-key and --pkcs11-library are alternatives"), both.err());
    assertEquals(2, noCertificate.exitCode());
    assertTrue(noCertificate.err().contains("mutual TLS needs --tls-ca, --tls-cert and the key"), noCertificate.err());
  }

  @Test
  void keygenAndRun_help_listTheTokenOptions() {
    assertTrue(run("keygen", "--help").out().contains("--pkcs11-token-label"));
    assertTrue(run("run", "--help").out().contains("--pkcs11-library"));
  }
}
