package org.comity.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
