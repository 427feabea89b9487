package org.comity.coordinator.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.comity.coordinator.console.ConsoleBackends;
import org.comity.coordinator.console.ConsoleEvents;
import org.comity.coordinator.console.ConsoleOptions;
import org.comity.coordinator.console.ConsoleServer;
import org.comity.coordinator.console.OperatorTokens;
import org.comity.coordinator.pki.EnrolledMember;
import org.comity.coordinator.pki.MemberRoster;
import org.comity.coordinator.pki.PkiException;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The operator console's options of {@code run} (a picocli mixin), and starting the console beside the coordinator.
 * The console is off unless {@code --console-port} is given.
 */
final class ConsoleFlags {
  private static final Logger log = LoggerFactory.getLogger(ConsoleFlags.class);

  @Option(names = "--console-port", defaultValue = "-1", paramLabel = "PORT",
      description = "Serve the operator console (dashboard and /api/v1) on this port (0: any free port; default: off).")
  int port;

  @Option(names = "--console-bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Interface of the console (default: ${DEFAULT-VALUE}). A non-loopback address needs --pki-dir "
          + "(HTTPS with the coordinator's certificate) or --insecure-console-on-network.")
  String bind;

  @Option(names = "--console-tokens", defaultValue = OperatorCommand.DEFAULT_TOKENS_FILE, paramLabel = "FILE",
      description = "Operator tokens made by 'operator token create' (default: ${DEFAULT-VALUE}).")
  Path tokensFile;

  @Option(names = "--insecure-console-on-network",
      description = "Allow a non-loopback console without TLS: tokens would cross the network in the clear.")
  boolean insecureOnNetwork;

  private OperatorTokens tokens;

  boolean enabled() {
    return port >= 0;
  }

  /** Checks the flags and reads the token file before anything starts, so that a mistake costs no run. */
  void validate(Path pkiDir) throws ExitCodes.BadInputException {
    if (port < -1 || port > 65535) {
      throw new ExitCodes.BadInputException("--console-port must be 0-65535, got " + port);
    }
    if (!enabled()) {
      return;
    }
    if (port > 65535) {
      throw new ExitCodes.BadInputException("--console-port must be 0-65535, got " + port);
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ExitCodes.BadInputException("--console-bind: unknown address '%s'".formatted(bind));
    }
    if (!loopback && pkiDir == null && !insecureOnNetwork) {
      throw new ExitCodes.BadInputException(("--console-bind %s is not a loopback address, and the console has no TLS: "
          + "operator tokens would cross the network in the clear. Bind to 127.0.0.1, give --pki-dir (HTTPS with "
          + "the coordinator's certificate), or pass --insecure-console-on-network for an isolated test network.")
          .formatted(bind));
    }
    try {
      tokens = OperatorTokens.open(tokensFile, Clock.systemUTC());
      if (tokens.list().stream().noneMatch(t -> t.active())) {
        log.warn("{} has no active operator token: nobody can use the console until one is made with "
            + "'comity-coordinator operator token create --name NAME --role read|admin --tokens-file {}'",
            tokensFile, tokensFile);
      }
    } catch (IOException e) {
      throw new ExitCodes.BadInputException("--console-tokens: " + e.getMessage());
    }
  }

  /** Starts the console, or returns {@code null} when it is off. */
  ConsoleServer start(CoordinatorServer coordinator, FederationPlan plan, ConsoleEvents events, Path pkiDir) {
    return start(coordinator, plan, events, pkiDir,
        enabled() ? ConsoleBackends.inMemory(tokens, coordinator.models(), Clock.systemUTC()) : null);
  }

  /**
   * Starts the console over the coordinator's store: promotions in the model catalog, admin actions in the signed
   * audit trail (what {@code run} does).
   */
  ConsoleServer start(CoordinatorServer coordinator, FederationPlan plan, ConsoleEvents events, Path pkiDir,
      org.comity.coordinator.store.Database store, org.comity.coordinator.audit.AuditTrail trail) {
    return start(coordinator, plan, events, pkiDir, enabled()
        ? org.comity.coordinator.console.StoreConsoleBackends.of(tokens, store, trail, coordinator.engine().runId(),
            Clock.systemUTC())
        : null);
  }

  private ConsoleServer start(CoordinatorServer coordinator, FederationPlan plan, ConsoleEvents events, Path pkiDir,
      ConsoleBackends initial) {
    if (!enabled()) {
      return null;
    }
    ConsoleBackends backends = initial;
    ConsoleOptions options = new ConsoleOptions(bind, port, null, null);
    if (pkiDir != null) {
      PkiFiles files = new PkiFiles(pkiDir);
      options = new ConsoleOptions(bind, port, files.serverCertificate(), files.serverKey());
      backends = backends.withRoster(() -> roster(files.roster()));
    }
    ConsoleServer console = ConsoleServer.start(coordinator, plan, events, backends, options, Clock.systemUTC());
    System.out.printf("operator console on %s://%s:%d/console/%n", options.tls() ? "https" : "http", bind, console.port());
    return console;
  }

  private static List<EnrolledMember> roster(Path file) {
    try {
      return MemberRoster.load(file).members();
    } catch (IOException | PkiException e) {
      // Certificate expiry is extra information: the members view still works without it.
      log.warn("member roster {} unreadable: {}", file, e.getMessage());
      return List.of();
    }
  }
}
