package org.comity.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fresh SoftHSM tokens for tests, in a temporary token directory of this JVM.
 *
 * <p>SoftHSM reads {@code $SOFTHSM2_CONF} and lists its tokens once, when the PKCS#11 library is first initialised
 * in a process; a token created afterwards by {@code softhsm2-util} is invisible to this JVM. So the first call
 * writes the configuration file named by {@code $SOFTHSM2_CONF} (set for the test JVM by the parent pom's Surefire
 * configuration) to point at a new temporary directory, and initialises a pool of {@value #POOL_SIZE} empty tokens
 * at once; each test then takes unused ones.
 *
 * <p>Without SoftHSM the tests fail (they do not skip): the message names the Debian package to install. Each
 * module that tests tokens has this same copy; test classes are not shared between modules.
 */
public final class SoftHsmTokens {
  /**
   * The user PIN of the pool tokens (a value for throwaway test tokens, never a real one). The parent pom's Surefire
   * configuration gives the same value to the test JVM as {@code $COMITY_PKCS11_PIN}, so command-line tests read it
   * the way an operator's shell would pass it.
   */
  public static final String PIN = "test-user-pin-4711";
  /** The PIN of the tokens from {@link #freshWithOtherPin()}, for wrong-PIN tests through the environment. */
  public static final String OTHER_PIN = "other-user-pin-1312";
  private static final String SO_PIN = "test-so-pin-0815";
  private static final int POOL_SIZE = 16;
  private static final int OTHER_PIN_POOL_SIZE = 2;
  private static final List<Path> LIBRARY_CANDIDATES = List.of(
      Path.of("/usr/lib/softhsm/libsofthsm2.so"),
      Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
      Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
      Path.of("/usr/lib64/pkcs11/libsofthsm2.so"),
      Path.of("/usr/local/lib/softhsm/libsofthsm2.so"));
  private static final Pattern REASSIGNED_SLOT = Pattern.compile("reassigned to slot (\\d+)");

  private static Deque<Token> pool;
  private static Deque<Token> otherPinPool;
  private static Path library;

  private SoftHsmTokens() {}

  /** An initialised, empty token. */
  public record Token(String label, long slot, Path library) {
    /** Settings selecting this token by label. */
    public TokenSettings byLabel(String keyAlias) {
      return new TokenSettings(library, OptionalLong.empty(), Optional.of(label), keyAlias);
    }

    /** Settings selecting this token by slot id. */
    public TokenSettings bySlot(String keyAlias) {
      return new TokenSettings(library, OptionalLong.of(slot), Optional.empty(), keyAlias);
    }

    /** Opens it with the test PIN. */
    public Pkcs11Token open(String keyAlias) throws TokenException {
      return Pkcs11Token.open(byLabel(keyAlias), PIN.toCharArray());
    }
  }

  /** The SoftHSM library path. */
  public static synchronized Path library() {
    initialise();
    return library;
  }

  /** A token no other test has used. */
  public static synchronized Token fresh() {
    initialise();
    if (pool.isEmpty()) {
      throw new IllegalStateException("all " + POOL_SIZE + " SoftHSM test tokens of this JVM are used; raise POOL_SIZE");
    }
    return pool.pop();
  }

  /** An initialised, empty token whose user PIN is {@link #OTHER_PIN}, not {@link #PIN}. */
  public static synchronized Token freshWithOtherPin() {
    initialise();
    if (otherPinPool.isEmpty()) {
      throw new IllegalStateException("all " + OTHER_PIN_POOL_SIZE + " other-PIN SoftHSM test tokens are used");
    }
    return otherPinPool.pop();
  }

  private static void initialise() {
    if (pool != null) {
      return;
    }
    library = LIBRARY_CANDIDATES.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
        new IllegalStateException("SoftHSM is not installed: the PKCS#11 token tests need Debian's package softhsm2 "
            + "(apt-get install softhsm2; .ci/run installs it). Looked for libsofthsm2.so in " + LIBRARY_CANDIDATES));
    String configVariable = System.getenv("SOFTHSM2_CONF");
    if (configVariable == null || configVariable.isBlank()) {
      throw new IllegalStateException("SOFTHSM2_CONF is not set for this JVM: run the token tests through Maven "
          + "(the parent pom's Surefire configuration sets it)");
    }
    try {
      Path tokenDirectory = Files.createTempDirectory("comity-softhsm-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(tokenDirectory)));
      Path config = Path.of(configVariable);
      Files.createDirectories(config.toAbsolutePath().getParent());
      Files.writeString(config, "directories.tokendir = " + tokenDirectory + "\nobjectstore.backend = file\n"
          + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
      Deque<Token> tokens = new ArrayDeque<>();
      String run = Long.toString(ProcessHandle.current().pid(), 36);
      for (int i = 1; i <= POOL_SIZE; i++) {
        String label = "comity-test-" + run + "-" + i;
        tokens.add(new Token(label, initToken(label, PIN), library));
      }
      Deque<Token> otherPinTokens = new ArrayDeque<>();
      for (int i = 1; i <= OTHER_PIN_POOL_SIZE; i++) {
        String label = "comity-other-" + run + "-" + i;
        otherPinTokens.add(new Token(label, initToken(label, OTHER_PIN), library));
      }
      pool = tokens;
      otherPinPool = otherPinTokens;
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the SoftHSM test tokens: " + e.getMessage(), e);
    }
  }

  private static long initToken(String label, String pin) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin,
          "--so-pin", SO_PIN).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("softhsm2-util cannot be run (" + e.getMessage() + "): the PKCS#11 token tests "
          + "need Debian's package softhsm2 (apt-get install softhsm2)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("softhsm2-util --init-token failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while initialising a SoftHSM token", e);
    }
    Matcher slot = REASSIGNED_SLOT.matcher(output);
    if (!slot.find()) {
      throw new IllegalStateException("softhsm2-util did not say which slot the token got: " + output);
    }
    return Long.parseLong(slot.group(1));
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the JVM is exiting.
    }
  }
}
