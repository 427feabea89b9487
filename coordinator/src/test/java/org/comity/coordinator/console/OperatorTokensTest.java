package org.comity.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokensTest {
  @TempDir
  Path dir;

  @Test
  void create_returnsA256BitSecret_andStoresOnlyItsHash_inAnOwnerOnlyFile() throws Exception {
    // given
    Path file = dir.resolve("tokens.json");
    OperatorTokens tokens = OperatorTokens.open(file, Clock.systemUTC());
    // when
    IssuedToken issued = tokens.create("alice", OperatorRole.ADMIN);
    // then
    assertTrue(issued.secret().startsWith(OperatorTokens.PREFIX));
    byte[] random = Base64.getUrlDecoder().decode(issued.secret().substring(OperatorTokens.PREFIX.length()));
    assertEquals(32, random.length, "256 bits");
    String stored = Files.readString(file);
    assertFalse(stored.contains(issued.secret().substring(OperatorTokens.PREFIX.length())), stored);
    assertTrue(stored.contains(OperatorTokens.sha256(issued.secret())), stored);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(issued.toString().contains(issued.secret()), "toString must not print the secret");
  }

  @Test
  void authenticate_knowsActiveTokensOnly_andEachTokensRole() throws Exception {
    OperatorTokens tokens = OperatorTokens.open(dir.resolve("tokens.json"), Clock.systemUTC());
    String read = tokens.create("reader", OperatorRole.READ).secret();
    String admin = tokens.create("alice", OperatorRole.ADMIN).secret();
    assertNotEquals(read, admin);
    assertEquals(Optional.of(new OperatorToken.Operator("reader", OperatorRole.READ)), tokens.authenticate(read));
    assertEquals(Optional.of(new OperatorToken.Operator("alice", OperatorRole.ADMIN)), tokens.authenticate(admin));
    assertEquals(Optional.empty(), tokens.authenticate(read + "x"));
    assertEquals(Optional.empty(), tokens.authenticate(""));
    assertEquals(Optional.empty(), tokens.authenticate("x".repeat(10_000)));
  }

  @Test
  void revoke_inAnotherProcessesHandle_isSeenByTheRunningStore() throws Exception {
    // given: the console's handle and the CLI's handle on one file
    Path file = dir.resolve("tokens.json");
    OperatorTokens console = OperatorTokens.open(file, Clock.systemUTC());
    String secret = console.create("bob", OperatorRole.READ).secret();
    assertTrue(console.authenticate(secret).isPresent());
    // when
    OperatorTokens.open(file, Clock.systemUTC()).revoke("bob");
    // then
    assertEquals(Optional.empty(), console.authenticate(secret));
    assertFalse(console.isActive("bob"));
    assertEquals(1, console.list().size(), "a revoked token stays listed, with its date");
    assertFalse(console.list().get(0).active());
  }

  @Test
  void duplicateActiveNames_invalidNames_andUnknownRevocations_areRefused_withTheReason() throws Exception {
    OperatorTokens tokens = OperatorTokens.open(dir.resolve("tokens.json"), Clock.systemUTC());
    tokens.create("alice", OperatorRole.READ);
    IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
        () -> tokens.create("alice", OperatorRole.ADMIN));
    assertTrue(duplicate.getMessage().contains("an active token named 'alice' exists"), duplicate.getMessage());
    IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
        () -> tokens.create("no spaces", OperatorRole.READ));
    assertTrue(invalid.getMessage().contains("token name must be"), invalid.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> tokens.revoke("carol"));
    assertTrue(unknown.getMessage().contains("no active token named 'carol'"), unknown.getMessage());
    // a revoked name may be reused
    tokens.revoke("alice");
    tokens.create("alice", OperatorRole.ADMIN);
  }

  @Test
  void aCorruptFile_isRefused_namingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("tokens.json"), "{\"version\": 1, \"tokens\": [{\"name\": 5");
    IOException e = assertThrows(IOException.class, () -> OperatorTokens.open(file, Clock.systemUTC()));
    assertTrue(e.getMessage().contains(file + " is not a valid operator token file"), e.getMessage());
    Path badRole = Files.writeString(dir.resolve("role.json"), """
        {"version": 1, "tokens": [{"name": "a", "role": "root", "sha256": "%s", "createdAt": "2026-01-01T00:00:00Z",
          "revokedAt": null}]}""".formatted("0".repeat(64)));
    IOException role = assertThrows(IOException.class, () -> OperatorTokens.open(badRole, Clock.systemUTC()));
    assertTrue(role.getMessage().contains("role must be 'read' or 'admin', got 'root'"), role.getMessage());
  }
}
