package org.comity.coordinator.console;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The operator tokens of a coordinator, kept in one JSON file ({@code operator-tokens.json} by default).
 *
 * <p><b>Security guarantees.</b> A token is 256 bits from {@link SecureRandom}; the file holds only its SHA-256 (a
 * fast hash is enough because the secret is random and long: there is nothing to guess by dictionary), so reading
 * the file does not let anyone call the console. The file is written with mode 0600, replaced atomically, and a
 * file system without POSIX permissions is refused. The secret is returned once by {@link #create} and never logged
 * or stored. {@link #authenticate} compares the hash against every active token in constant time per entry.
 *
 * <p>The running console re-reads the file when it changes, so {@code operator token revoke} takes effect on the
 * next request without a restart. Thread-safe; two processes must not edit the file at the same moment (the
 * operator's commands run one at a time).
 */
public final class OperatorTokens {
  /** Prefix of every token, so a leaked one is recognisable by secret scanners. */
  public static final String PREFIX = "comity_op_";
  private static final int MAX_TOKEN_LENGTH = 256;
  private static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private List<OperatorToken> tokens;
  private FileTime loadedModified;
  private long loadedSize = -1;

  private OperatorTokens(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /**
   * Opens the token file (an absent file is an empty store; it is created by the first {@link #create}).
   *
   * @throws IOException if the file exists but cannot be read or is not a token file (the message names it)
   */
  public static OperatorTokens open(Path file, Clock clock) throws IOException {
    OperatorTokens store = new OperatorTokens(file, clock);
    store.reloadIfChanged();
    return store;
  }

  public Path file() {
    return file;
  }

  /**
   * Creates a token and saves its hash.
   *
   * @throws IllegalArgumentException if the name is invalid or an active token already has it
   */
  public synchronized IssuedToken create(String name, OperatorRole role) throws IOException {
    reloadIfChanged();
    if (!OperatorToken.isValidName(name)) {
      // Built by the record's constructor so the message is the same everywhere.
      new OperatorToken(name, role, "0".repeat(64), clock.instant(), null);
    }
    if (tokens.stream().anyMatch(t -> t.active() && t.name().equals(name))) {
      throw new IllegalArgumentException("an active token named '%s' exists; revoke it first or choose another name"
          .formatted(name));
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    OperatorToken token = new OperatorToken(name, role, sha256(secret), clock.instant(), null);
    List<OperatorToken> updated = new ArrayList<>(tokens);
    updated.add(token);
    save(updated);
    return new IssuedToken(token, secret);
  }

  /** Every token ever created, active or revoked, in creation order. */
  public synchronized List<OperatorToken> list() throws IOException {
    reloadIfChanged();
    return List.copyOf(tokens);
  }

  /**
   * Revokes the active token named {@code name}.
   *
   * @throws IllegalArgumentException if no active token has that name
   */
  public synchronized OperatorToken revoke(String name) throws IOException {
    reloadIfChanged();
    List<OperatorToken> updated = new ArrayList<>();
    OperatorToken revoked = null;
    for (OperatorToken token : tokens) {
      if (token.active() && token.name().equals(name)) {
        revoked = new OperatorToken(token.name(), token.role(), token.sha256(), token.createdAt(), clock.instant());
        updated.add(revoked);
      } else {
        updated.add(token);
      }
    }
    if (revoked == null) {
      throw new IllegalArgumentException("no active token named '%s' in %s".formatted(name, file));
    }
    save(updated);
    return revoked;
  }

  /**
   * The operator a presented bearer token belongs to, if it is an active token of this store.
   *
   * @throws IOException if the file changed and can no longer be read (the console then refuses every request)
   */
  public synchronized Optional<OperatorToken.Operator> authenticate(String presented) throws IOException {
    if (presented == null || presented.isEmpty() || presented.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    reloadIfChanged();
    byte[] hash = sha256(presented).getBytes(StandardCharsets.US_ASCII);
    OperatorToken match = null;
    for (OperatorToken token : tokens) {
      // No early exit: the time taken does not depend on which entry matched.
      if (MessageDigest.isEqual(hash, token.sha256().getBytes(StandardCharsets.US_ASCII)) && token.active()) {
        match = token;
      }
    }
    return match == null ? Optional.empty() : Optional.of(match.operator());
  }

  /** True while an active token of this name exists (an open event stream is closed once it is revoked). */
  public synchronized boolean isActive(String name) throws IOException {
    reloadIfChanged();
    return tokens.stream().anyMatch(t -> t.active() && t.name().equals(name));
  }

  private void reloadIfChanged() throws IOException {
    if (!Files.exists(file)) {
      tokens = List.of();
      loadedModified = null;
      loadedSize = -1;
      return;
    }
    FileTime modified = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    if (tokens != null && modified.equals(loadedModified) && size == loadedSize) {
      return;
    }
    TokenFile parsed;
    try {
      parsed = JSON.readValue(file.toFile(), TokenFile.class);
    } catch (IOException e) {
      throw new IOException("%s is not a valid operator token file: %s".formatted(file,
          String.valueOf(e.getMessage()).lines().findFirst().orElse("")), e);
    }
    if (parsed.version() != FORMAT_VERSION) {
      throw new IOException("%s has token file format version %d; this coordinator reads version %d"
          .formatted(file, parsed.version(), FORMAT_VERSION));
    }
    List<OperatorToken> loaded = new ArrayList<>();
    try {
      for (Entry entry : parsed.tokens()) {
        loaded.add(new OperatorToken(entry.name(), OperatorRole.parse(entry.role()), entry.sha256(),
            Instant.parse(entry.createdAt()), entry.revokedAt() == null ? null : Instant.parse(entry.revokedAt())));
      }
    } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
      throw new IOException("%s has an invalid entry: %s".formatted(file, e.getMessage()), e);
    }
    tokens = List.copyOf(loaded);
    loadedModified = modified;
    loadedSize = size;
  }

  private void save(List<OperatorToken> updated) throws IOException {
    Path absolute = file.toAbsolutePath();
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      throw new IOException("cannot write %s with owner-only permissions: the file system has no POSIX permissions"
          .formatted(file));
    }
    Files.createDirectories(absolute.getParent());
    List<Entry> entries = updated.stream().map(t -> new Entry(t.name(), t.role().label(), t.sha256(),
        t.createdAt().toString(), t.revokedAt() == null ? null : t.revokedAt().toString())).toList();
    Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(temporary, JSON.writeValueAsBytes(new TokenFile(FORMAT_VERSION, entries)));
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    tokens = List.copyOf(updated);
    loadedModified = Files.getLastModifiedTime(absolute);
    loadedSize = Files.size(absolute);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The file's JSON shape. */
  record TokenFile(int version, List<Entry> tokens) {
    TokenFile {
      tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }
  }

  /** One token in the file. */
  record Entry(String name, String role, String sha256, String createdAt, String revokedAt) {}
}
