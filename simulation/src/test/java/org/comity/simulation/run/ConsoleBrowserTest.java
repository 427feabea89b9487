package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.comity.agent.training.LocalModelFactory;
import org.comity.coordinator.console.ConsoleBackends;
import org.comity.coordinator.console.ConsoleEvents;
import org.comity.coordinator.console.ConsoleOptions;
import org.comity.coordinator.console.ConsoleServer;
import org.comity.coordinator.console.OperatorRole;
import org.comity.coordinator.console.OperatorTokens;
import org.comity.coordinator.server.CoordinatorServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real browser (headless Chromium) during a real federated run: the dashboard logs in
 * with an operator token, follows the rounds over server-sent events, its ROC-AUC chart grows, and an admin
 * promotes a version from the page. Screenshots go to {@code target/console-screenshots/}; with
 * {@code -Dcomity.screenshots=../docs/images} they refresh the ones in docs/CONSOLE.md (the build never writes into
 * the source tree by default).
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} packages (CI installs them in {@code .ci/run}); the
 * test fails, rather than skips, when they are missing, so a green build always means the browser ran.
 */
class ConsoleBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of(System.getProperty("comity.screenshots",
      "target/console-screenshots"));
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path out;

  @Test
  void dashboard_followsTheRunLive_chartGrowsRoundByRound_andAnAdminPromotesFromThePage() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("the console browser test needs headless Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
          + ": install Debian's packages with 'apt-get install -y chromium chromium-driver'");
    }
    // given: 3 banks and 3 rounds; every bank holds its second round of training until the browser has seen round 1
    PreparedConsortium consortium = ConsortiumPreparer.prepare(new SimulationConfig(null, 3, 3, 5,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1));
    int epochsPerRound = consortium.plan().training().epochs();
    CountDownLatch secondRoundTraining = new CountDownLatch(3);
    CountDownLatch browserSawRoundOne = new CountDownLatch(1);
    LocalModelFactory models = (plan, seed) -> new SecureAggregationEndToEndTest.StallingModel(
        FederatedRunEndToEndTest.TENSORFLOW.create(plan, seed), epochsPerRound + 1, secondRoundTraining,
        browserSawRoundOne);
    OperatorTokens tokens = OperatorTokens.open(out.resolve("operator-tokens.json"), Clock.systemUTC());
    String adminToken = tokens.create("alice", OperatorRole.ADMIN).secret();
    ConsoleEvents events = new ConsoleEvents();
    AtomicReference<ConsoleServer> console = new AtomicReference<>();
    CountDownLatch consoleUp = new CountDownLatch(1);
    CountDownLatch browserReady = new CountDownLatch(1);
    FederatedRegime regime = new FederatedRegime(models, r -> { }, FederatedRunEndToEndTest.FAST)
        .observedBy(events, coordinator -> {
          console.set(ConsoleServer.start(coordinator, consortium.plan(), events,
              ConsoleBackends.inMemory(tokens, coordinator.models(), Clock.systemUTC()), ConsoleOptions.loopback(0),
              Clock.systemUTC()));
          consoleUp.countDown();
          await(browserReady, "the browser to log in");
        });
    // The browser starts before the coordinator: on a loaded machine Chromium can take longer to start than the
    // plan's join timeout, and the run must still be waiting for its banks when the operator logs in.
    WebDriver browser = headlessChromium();
    CompletableFuture<FederatedRegime.Outcome> run = CompletableFuture.supplyAsync(() -> {
      try {
        return regime.run(consortium, Duration.ofMinutes(4));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    CoordinatorServer coordinator = null;
    try {
      assertTrue(consoleUp.await(60, TimeUnit.SECONDS), "the coordinator did not start");
      WebDriver shown = browser;
      WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
      // On a timeout, say what the page showed and what the browser logged.
      wait.withMessage(() -> describe(shown));
      // when: the operator logs in before any bank has joined
      browser.get("http://127.0.0.1:%d/".formatted(console.get().port()));
      browser.findElement(By.id("token")).sendKeys(adminToken);
      browser.findElement(By.id("login-form")).submit();
      WebDriver page = browser;
      wait.until(d -> "alice (admin)".equals(text(page, "operator")) && "WAITING".equals(text(page, "run-state")));
      wait.until(d -> "live".equals(text(page, "live")));
      browserReady.countDown();

      // then: round 1 appears on the chart while round 2 is held in training
      wait.until(d -> points(page) >= 1 && "2".equals(attribute(page, "current-round", "data-round"))
          && "TRAINING".equals(attribute(page, "current-round", "data-stage")));
      int pointsDuringTheRun = points(browser);
      assertEquals(1, pointsDuringTheRun, "round 2 is held, so exactly one round is on the chart");
      assertTrue(text(browser, "current-round").startsWith("round 2: TRAINING"), text(browser, "current-round"));
      screenshot(browser, "console-during-run.png");
      browserSawRoundOne.countDown();

      // and: the chart grows as the remaining rounds finish, pushed over server-sent events
      wait.until(d -> points(page) > pointsDuringTheRun);
      wait.until(d -> "FINISHED".equals(text(page, "run-state")) && points(page) == 3);
      FederatedRegime.Outcome outcome = run.get(3, TimeUnit.MINUTES);
      coordinator = outcome.coordinator();
      assertTrue(outcome.run().completed(), outcome.run().toString());

      // when: the admin promotes version 2 from the page, with a reason
      browser.findElement(By.id("reason")).sendKeys("best validation ROC-AUC of the run");
      wait.until(d -> !d.findElements(By.cssSelector("button.promote[data-version='2']")).isEmpty());
      browser.findElement(By.cssSelector("button.promote[data-version='2']")).click();
      // then: the promotion shows in the run, the model table and the audit trail, with the operator as actor
      wait.until(d -> "v2".equals(text(page, "promoted-version")));
      wait.until(d -> d.findElement(By.id("audit")).getText().contains("alice model.promote model/2"));
      assertEquals(2L, promotedVersion(console.get(), adminToken));
      screenshot(browser, "console-finished.png");
    } finally {
      browserSawRoundOne.countDown();
      browserReady.countDown();
      if (browser != null) {
        browser.quit();
      }
      if (console.get() != null) {
        console.get().close();
      }
      if (coordinator == null && run.isDone() && !run.isCompletedExceptionally()) {
        coordinator = run.join().coordinator();
      }
      if (coordinator != null) {
        coordinator.close();
      }
    }
  }

  /** The promoted version as the API reports it, so the assertion does not rest on the page alone. */
  private static long promotedVersion(ConsoleServer console, String token) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:%d/api/v1/models".formatted(console.port())))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getLong("promotedVersion");
  }

  private static WebDriver headlessChromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1500", "--hide-scrollbars");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static String describe(WebDriver browser) {
    StringBuilder text = new StringBuilder("page:\n");
    try {
      text.append(browser.findElement(By.tagName("body")).getText());
      text.append("\nbrowser log:\n");
      browser.manage().logs().get("browser").forEach(entry -> text.append(entry).append('\n'));
    } catch (RuntimeException e) {
      text.append("(unavailable: ").append(e.getMessage()).append(')');
    }
    return text.toString();
  }

  private static int points(WebDriver browser) {
    String value = attribute(browser, "chart-auc", "data-points");
    return value == null || value.isEmpty() ? 0 : Integer.parseInt(value);
  }

  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static String attribute(WebDriver browser, String id, String name) {
    return browser.findElement(By.id(id)).getDomAttribute(name);
  }

  private static void screenshot(WebDriver browser, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + what, e);
    }
  }
}
