package org.comity.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
