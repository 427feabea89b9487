package org.comity.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.comity.coordinator.console.OperatorRole;
import org.comity.coordinator.console.OperatorTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code operator token create|list|revoke} and the console flags of {@code run}. */
class OperatorCommandTest {
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
  void tokenCreate_printsTheTokenAloneOnStdout_once_andListNeverShowsIt() throws Exception {
    Path file = dir.resolve("tokens.json");
    // when
    Run created = run("operator", "token", "create", "--name", "alice", "--role", "admin", "--tokens-file", file.toString());
    // then
    assertEquals(0, created.exitCode(), created.err());
    String token = created.out().strip();
    assertTrue(token.startsWith(OperatorTokens.PREFIX) && !token.contains("\n"), created.out());
    assertTrue(created.err().contains("shown only this once"), created.err());
    assertEquals(OperatorRole.ADMIN, OperatorTokens.open(file, Clock.systemUTC()).authenticate(token).orElseThrow().role());
    Run listed = run("operator", "token", "list", "--tokens-file", file.toString());
    assertEquals(0, listed.exitCode());
    assertTrue(listed.out().contains("alice") && listed.out().contains("admin") && listed.out().contains("active"),
        listed.out());
    assertFalse(listed.out().contains(token.substring(OperatorTokens.PREFIX.length())), listed.out());
    assertFalse(Files.readString(file).contains(token.substring(OperatorTokens.PREFIX.length())));
  }

  @Test
  void tokenCreateAndRevoke_withAStore_areSignedAuditEntries_andTheTokenIsNotInThem() throws Exception {
    Path file = dir.resolve("tokens.json");
    String url = "jdbc:sqlite:" + dir.resolve("store.db");
    Run created = run("operator", "token", "create", "--name", "carol", "--role", "admin", "--tokens-file",
        file.toString(), "--database", url, "--actor", "ops-lead");
    assertEquals(0, created.exitCode(), created.err());
    String token = created.out().strip();
    assertTrue(token.startsWith(OperatorTokens.PREFIX) && !token.contains("\n"), "stdout is the token alone: " + created.out());
    assertTrue(created.err().contains("audit trail entry 1 (operator.token.created)"), created.err());
    Run revoked = run("operator", "token", "revoke", "--name", "carol", "--tokens-file", file.toString(),
        "--database", url, "--actor", "ops-lead");
    assertEquals(0, revoked.exitCode(), revoked.err());

    Run listed = run("audit", "list", "--database", url, "--json");
    assertEquals(0, listed.exitCode(), listed.err());
    assertTrue(listed.out().contains("operator.token.created") && listed.out().contains("operator.token.revoked")
        && listed.out().contains("ops-lead") && listed.out().contains("operator-token/carol"), listed.out());
    assertFalse(listed.out().contains(token.substring(OperatorTokens.PREFIX.length())), "the token is never audited");
    Run verified = run("audit", "verify", "--database", url);
    assertEquals(0, verified.exitCode(), verified.out() + verified.err());
  }

  @Test
  void tokenRevoke_makesTheTokenUnusable_andAnUnknownNameExits2() throws Exception {
    Path file = dir.resolve("tokens.json");
    String token = run("operator", "token", "create", "--name", "bob", "--role", "read", "--tokens-file",
        file.toString()).out().strip();
    Run revoked = run("operator", "token", "revoke", "--name", "bob", "--tokens-file", file.toString());
    assertEquals(0, revoked.exitCode(), revoked.err());
    assertTrue(OperatorTokens.open(file, Clock.systemUTC()).authenticate(token).isEmpty());
    Run unknown = run("operator", "token", "revoke", "--name", "bob", "--tokens-file", file.toString());
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("no active token named 'bob'"), unknown.err());
  }

  @Test
  void tokenCreate_withABadRoleOrName_exits2_namingTheOption() {
    Path file = dir.resolve("tokens.json");
    Run role = run("operator", "token", "create", "--name", "x", "--role", "root", "--tokens-file", file.toString());
    assertEquals(2, role.exitCode());
    assertTrue(role.err().contains("--role: role must be 'read' or 'admin', got 'root'"), role.err());
    Run name = run("operator", "token", "create", "--name", "a b", "--role", "read", "--tokens-file", file.toString());
    assertEquals(2, name.exitCode());
    assertTrue(name.err().contains("--name: token name must be"), name.err());
    Run missing = run("operator", "token", "create", "--role", "read");
    assertEquals(2, missing.exitCode(), "a missing required option is a usage error");
    assertFalse(Files.exists(file), "nothing is written on bad input");
  }

  @Test
  void everyOperatorCommand_hasHelp() {
    for (String[] command : new String[][] {{"operator", "--help"}, {"operator", "token", "--help"},
        {"operator", "token", "create", "--help"}, {"operator", "token", "list", "--help"},
        {"operator", "token", "revoke", "--help"}}) {
      Run help = run(command);
      assertEquals(0, help.exitCode(), String.join(" ", command));
      assertTrue(help.out().contains("Usage:"), help.out());
    }
    assertTrue(run("run", "--help").out().contains("--console-port"));
  }

  @Test
  void run_refusesANonLoopbackConsoleWithoutTls_beforeStartingAnything() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\n");
    Run refused = run("run", "--plan", plan.toString(), "--port", "0", "--console-port", "0", "--console-bind",
        "0.0.0.0", "--console-tokens", dir.resolve("tokens.json").toString());
    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains("--console-bind 0.0.0.0 is not a loopback address"), refused.err());
    Run badPort = run("run", "--plan", plan.toString(), "--console-port", "70000");
    assertEquals(2, badPort.exitCode());
    assertTrue(badPort.err().contains("--console-port must be 0-65535, got 70000"), badPort.err());
  }

  @Test
  void run_refusesAnUnreadableTokenFile_namingIt() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "label: y\nfeatures: [{name: a}]\n");
    Path tokens = Files.writeString(dir.resolve("tokens.json"), "not json");
    Run refused = run("run", "--plan", plan.toString(), "--port", "0", "--console-port", "0", "--console-tokens",
        tokens.toString());
    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains("--console-tokens: " + tokens + " is not a valid operator token file"),
        refused.err());
  }
}
