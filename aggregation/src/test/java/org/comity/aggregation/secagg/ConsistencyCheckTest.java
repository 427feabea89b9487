package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.comity.aggregation.secagg.client.AwaitingConsistencyCheck;
import org.comity.aggregation.secagg.client.ClientCompleted;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.client.ClientStage;
import org.comity.aggregation.secagg.client.SecAggClient;
import org.comity.aggregation.secagg.server.AggregateResult;
import org.comity.aggregation.secagg.server.CollectingConsistencySignatures;
import org.comity.aggregation.secagg.server.CollectingUnmaskResponses;
import org.comity.aggregation.secagg.server.Outbound;
import org.comity.aggregation.secagg.server.SecAggServer;
import org.comity.aggregation.secagg.server.ServerStage;
import org.junit.jupiter.api.Test;

/**
 * The consistency-check stage of the actively secure protocol (5 banks, complete graph, threshold 3, unless
 * stated): honest rounds, dropouts during the check, a coordinator that shows different banks different
 * survivor sets, and the bank's and coordinator's refusals of bad sets and bad signatures.
 */
class ConsistencyCheckTest {
  private static final List<String> ALL = RoundHarness.bankIds(5);
  private static final List<String> THREE = List.of("bank-00", "bank-01", "bank-02");

  /** Runs a checked round up to the consistency check (all five masked inputs in); returns the check requests. */
  private static List<Outbound> upToConsistencyCheck(ManualRound round) {
    List<Outbound> deliveries = round.deliver(round.advertise(round.banks()), round.banks());
    return round.deliver(deliveries, round.banks());
  }

  private static byte[] sessionOf(ManualRound round) {
    return ((ShareDelivery) round.lastReceived.get("bank-00")).sessionId();
  }

  private static Map<String, byte[]> signaturesOver(byte[] session, long roundId, List<String> set, List<String> by) {
    byte[] statement = ConsistencyStatement.encode(session, roundId, set);
    Map<String, byte[]> out = new TreeMap<>();
    for (String b : by) {
      out.put(b, TestSigners.signer(b).sign(statement));
    }
    return out;
  }

  private static void assertRejected(SecAggClient client, ServerMessage message, RejectionReason reason) {
    ClientStage before = client.stage();
    SecAggRejectedException e = assertThrows(SecAggRejectedException.class, () -> client.onMessage(message));
    assertEquals(reason, e.reason(), e.getMessage());
    assertSame(before, client.stage(), "stage must be unchanged after a rejection");
  }

  private static void assertRejected(SecAggServer server, String from, ClientMessage message, RejectionReason reason) {
    ServerStage before = server.stage();
    SecAggRejectedException e = assertThrows(SecAggRejectedException.class, () -> server.onMessage(from, message));
    assertEquals(reason, e.reason(), e.getMessage());
    assertSame(before, server.stage(), "stage must be unchanged after a rejection");
  }

  private static Set<String> recipients(List<Outbound> out) {
    return out.stream().map(Outbound::recipient).collect(Collectors.toSet());
  }

  @Test
  void honestRound_withTheCheck_sumEqualsPlainFedAvg_andEveryBankSignedTheSameSet() {
    // given: 10 banks on a sparse graph, the check on
    List<String> banks = RoundHarness.bankIds(10);
    SecAggParameters p = SecAggParameters.derive(10, 0.1, 0.2, ThreatModel.SEMI_HONEST_SERVER);
    SecAggConfig config = new SecAggConfig(9, banks, p, 16, 2.0, 1_000_000, true);
    Map<String, ClientInput> inputs = RoundHarness.randomInputs(banks, 16, 1_000_000, 3);
    // when
    RoundHarness.Outcome outcome = RoundHarness.run(config, inputs, Map.of(), 3);
    // then
    AggregateResult result = outcome.result().orElseThrow(() -> new AssertionError(outcome.aborted()));
    assertEquals(banks, result.contributors());
    double[] expected = RoundHarness.plainFedAvg(inputs, new HashSet<>(banks), 2.0);
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], result.weightedMean()[j], result.meanErrorBound(), "coordinate " + j);
    }
    byte[] statement = ConsistencyStatement.encode(outcome.context().sessionId(), 9, banks);
    long signatures = outcome.coordinatorInbox().stream().filter(m -> m instanceof ConsistencyCheckResponse)
        .map(m -> (ConsistencyCheckResponse) m)
        .filter(r -> TestSigners.verifier().verify(r.sender(), statement, r.signature())).count();
    assertEquals(10, signatures, "every bank signed the one survivor set");
  }

  @Test
  void withoutTheCheck_noCheckMessageIsSent_andTheUnmaskRequestCarriesNoSignatures() {
    // given
    ManualRound round = new ManualRound(4, 40);
    // when
    List<Outbound> unmask = upToConsistencyCheck(round);
    // then
    assertEquals(Set.copyOf(ALL), recipients(unmask));
    for (Outbound o : unmask) {
      UnmaskRequest request = assertInstanceOf(UnmaskRequest.class, o.message());
      assertTrue(request.signatures().isEmpty());
    }
  }

  @Test
  void config_flagIsBoundIntoTheSessionId_andTheOldConstructorLeavesItOff() {
    SecAggParameters p = new SecAggParameters(4, 3);
    SecAggConfig old = new SecAggConfig(1, ALL, p, 8, 1.0, 1000);
    SecAggConfig off = new SecAggConfig(1, ALL, p, 8, 1.0, 1000, false);
    SecAggConfig on = new SecAggConfig(1, ALL, p, 8, 1.0, 1000, true);
    assertEquals(old, off);
    assertFalse(old.consistencyCheck());
    assertArrayEquals(SessionId.of(old, List.of()), SessionId.of(off, List.of()));
    assertFalse(java.util.Arrays.equals(SessionId.of(off, List.of()), SessionId.of(on, List.of())),
        "a bank with the check and a coordinator without it must not share a session");
  }

  @Test
  void client_withTheCheckButNoSignerOrVerifier_refusedAtConstruction() {
    SecAggConfig on = new SecAggConfig(1, ALL, new SecAggParameters(4, 3), 8, 1.0, 1000, true);
    assertThrows(IllegalArgumentException.class, () -> new SecAggClient(on, "bank-00", RoundHarness.seeded(1)));
    assertThrows(IllegalArgumentException.class, () -> new SecAggClient(on, "bank-00", RoundHarness.seeded(1),
        TestSigners.signer("bank-00"), null));
  }

  @Test
  void consistencyCheck_allSign_unmaskRequestGoesToSignersWithTheirSignatures_andRoundCompletes() {
    // given
    ManualRound round = new ManualRound(5, 41, true, true);
    List<Outbound> checks = upToConsistencyCheck(round);
    assertEquals(Set.copyOf(ALL), recipients(checks));
    assertEquals(ALL, ((ConsistencyCheckRequest) checks.get(0).message()).survivors());
    assertInstanceOf(CollectingConsistencySignatures.class, round.server.stage());
    // when
    List<Outbound> unmask = round.deliver(checks, ALL);
    // then
    assertEquals(Set.copyOf(ALL), recipients(unmask));
    UnmaskRequest request = (UnmaskRequest) unmask.get(0).message();
    assertEquals(Set.copyOf(ALL), request.signatures().keySet());
    round.deliver(unmask, ALL);
    assertEquals(ALL, round.server.result().orElseThrow().contributors());
  }

  @Test
  void consistencyCheck_twoSurvivorsDoNotSign_atTheDeadline_onlySignersAreAskedToUnmask_andAllInputsCount() {
    // given: bank-03 and bank-04 sent masked inputs but go silent in the check
    ManualRound round = new ManualRound(5, 42, true, true);
    round.deliver(upToConsistencyCheck(round), THREE);
    // when
    List<Outbound> unmask = round.server.onDeadline();
    // then
    assertEquals(Set.copyOf(THREE), recipients(unmask));
    UnmaskRequest request = (UnmaskRequest) unmask.get(0).message();
    assertEquals(ALL, request.survivors(), "the silent banks' inputs are in the sum, so they stay survivors");
    assertEquals(Set.copyOf(THREE), request.signatures().keySet());
    assertInstanceOf(CollectingUnmaskResponses.class, round.server.stage());
    round.deliver(unmask, THREE);
    assertEquals(ALL, round.server.result().orElseThrow().contributors());
    double[] expected = RoundHarness.plainFedAvg(round.inputs, new HashSet<>(ALL), 1.0);
    AggregateResult result = round.server.result().orElseThrow();
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], result.weightedMean()[j], result.meanErrorBound());
    }
  }

  @Test
  void consistencyCheck_belowThresholdSign_atTheDeadline_abortsBeforeAnyShareIsRevealed() {
    // given: only two of five sign
    ManualRound round = new ManualRound(5, 43, true, true);
    round.deliver(upToConsistencyCheck(round), List.of("bank-00", "bank-01"));
    // when
    List<Outbound> out = round.server.onDeadline();
    // then
    assertEquals(AbortReason.TOO_FEW_CONSISTENCY_SIGNATURES, round.server.aborted().orElseThrow().reason());
    assertEquals("CONSISTENCY_CHECK", round.server.aborted().orElseThrow().stageAtAbort());
    assertEquals(Set.copyOf(ALL), recipients(out));
    assertTrue(out.stream().allMatch(o -> o.message() instanceof RoundAborted));
    assertTrue(round.lastSent.values().stream().noneMatch(m -> m instanceof UnmaskResponse));
  }

  @Test
  void maliciousCoordinator_differentSetsToDifferentBanks_deceivedBanksRefuse_noShareRevealedInBothForms() {
    // given: all five masked inputs are in; the coordinator plays bank-04 as dropped towards bank-02 and bank-03
    ManualRound round = new ManualRound(6, 44, true, false);
    upToConsistencyCheck(round);
    byte[] session = sessionOf(round);
    List<String> withoutBank4 = List.of("bank-00", "bank-01", "bank-02", "bank-03");
    Map<String, Map<String, byte[]>> signedBy = new TreeMap<>();
    for (String bank : ALL) {
      List<String> shown = bank.equals("bank-02") || bank.equals("bank-03") ? withoutBank4 : ALL;
      ConsistencyCheckResponse r = (ConsistencyCheckResponse) round.clients.get(bank)
          .onMessage(new ConsistencyCheckRequest(6, session, shown)).orElseThrow();
      signedBy.computeIfAbsent(String.join(",", shown), k -> new TreeMap<>()).put(bank, r.signature());
    }
    Map<String, byte[]> fullSetSignatures = signedBy.get(String.join(",", ALL));
    Map<String, byte[]> partialSetSignatures = signedBy.get(String.join(",", withoutBank4));
    List<UnmaskResponse> revealed = new ArrayList<>();
    // when: the coordinator asks the deceived banks for bank-04's masking-key share in every way it can
    for (String deceived : List.of("bank-02", "bank-03")) {
      SecAggClient bank = round.clients.get(deceived);
      // the partial set with only its own two signatures: below the threshold
      assertRejected(bank, new UnmaskRequest(6, session, withoutBank4, List.of("bank-04"), partialSetSignatures),
          RejectionReason.INVALID_SIGNATURE);
      // the partial set with the full set's signatures relabelled: they do not verify over the partial set
      Map<String, byte[]> relabelled = new TreeMap<>(partialSetSignatures);
      relabelled.put("bank-00", fullSetSignatures.get("bank-00"));
      relabelled.put("bank-01", fullSetSignatures.get("bank-01"));
      assertRejected(bank, new UnmaskRequest(6, session, withoutBank4, List.of("bank-04"), relabelled),
          RejectionReason.INVALID_SIGNATURE);
      // the full set with its genuine signatures: not the set this bank signed
      assertRejected(bank, new UnmaskRequest(6, session, ALL, List.of(), fullSetSignatures),
          RejectionReason.INCONSISTENT);
    }
    // and the banks shown the full set unmask only for it
    for (String honest : List.of("bank-00", "bank-01", "bank-04")) {
      assertRejected(round.clients.get(honest), new UnmaskRequest(6, session, withoutBank4, List.of("bank-04"),
          partialSetSignatures), RejectionReason.INCONSISTENT);
      revealed.add((UnmaskResponse) round.clients.get(honest)
          .onMessage(new UnmaskRequest(6, session, ALL, List.of(), fullSetSignatures)).orElseThrow());
    }
    // then: no bank's masking key share left any bank, so no bank has both kinds of share revealed
    Set<String> seedOwners = new HashSet<>();
    Set<String> keyOwners = new HashSet<>();
    for (UnmaskResponse r : revealed) {
      seedOwners.addAll(r.selfMaskSeedShares().keySet());
      keyOwners.addAll(r.maskingKeyShares().keySet());
    }
    assertTrue(keyOwners.isEmpty(), "masking-key shares revealed of " + keyOwners);
    seedOwners.retainAll(keyOwners);
    assertTrue(seedOwners.isEmpty());
  }

  @Test
  void maliciousCoordinator_tamperedCheckRequests_roundAborts_andNoBankUnmasks() {
    for (boolean serverVerifies : List.of(true, false)) {
      // given: the coordinator runs the real protocol but shows bank-02..04 sets that leave a bank out
      ManualRound round = new ManualRound(6, 45, true, serverVerifies);
      List<Outbound> checks = upToConsistencyCheck(round);
      byte[] session = sessionOf(round);
      Map<String, List<String>> shown = new LinkedHashMap<>();
      shown.put("bank-02", List.of("bank-00", "bank-01", "bank-02", "bank-03"));
      shown.put("bank-03", List.of("bank-00", "bank-01", "bank-02", "bank-03"));
      shown.put("bank-04", List.of("bank-00", "bank-01", "bank-02", "bank-04"));
      List<Outbound> tampered = new ArrayList<>();
      for (Outbound o : checks) {
        List<String> set = shown.get(o.recipient());
        tampered.add(set == null ? o : new Outbound(o.recipient(), new ConsistencyCheckRequest(6, session, set)));
      }
      // when: every bank's signature reaches the coordinator (a verifying one refuses the deceived banks')
      List<Outbound> unmask = new ArrayList<>();
      for (Outbound o : tampered) {
        ClientMessage signature = round.clients.get(o.recipient()).onMessage(o.message()).orElseThrow();
        try {
          unmask.addAll(round.server.onMessage(o.recipient(), signature));
        } catch (SecAggRejectedException refused) {
          assertTrue(serverVerifies, "only a verifying coordinator refuses: " + refused.getMessage());
          assertEquals(RejectionReason.INVALID_SIGNATURE, refused.reason());
        }
      }
      if (round.server.stage() instanceof CollectingConsistencySignatures) {
        unmask.addAll(round.server.onDeadline());
      }
      // then: a coordinator that relays every signature asks all five to unmask, and every bank refuses: the
      // deceived ones signed another set, the others find only 2 valid signatures over theirs
      for (Outbound o : unmask) {
        if (o.message() instanceof UnmaskRequest) {
          SecAggRejectedException e = assertThrows(SecAggRejectedException.class,
              () -> round.clients.get(o.recipient()).onMessage(o.message()));
          assertTrue(e.reason() == RejectionReason.INCONSISTENT || e.reason() == RejectionReason.INVALID_SIGNATURE,
              e.getMessage());
        }
      }
      if (round.server.aborted().isEmpty()) {
        round.server.onDeadline();
      }
      // and the round aborts: too few signatures (verifying coordinator) or too few unmask responses
      assertEquals(serverVerifies ? AbortReason.TOO_FEW_CONSISTENCY_SIGNATURES : AbortReason.TOO_FEW_UNMASK_RESPONSES,
          round.server.aborted().orElseThrow().reason());
      assertTrue(round.lastSent.values().stream().noneMatch(m -> m instanceof UnmaskResponse), "no bank unmasked");
    }
  }

  @Test
  void unmaskRequest_forgedDuplicateOrNonMemberSignatures_doNotCount_andBelowThresholdIsRefused() {
    // given: bank-00 signed the full set
    ManualRound round = new ManualRound(6, 46, true, false);
    List<Outbound> checks = upToConsistencyCheck(round);
    SecAggClient bank0 = round.clients.get("bank-00");
    bank0.onMessage(checks.stream().filter(o -> o.recipient().equals("bank-00")).findFirst().orElseThrow().message());
    byte[] session = sessionOf(round);
    Map<String, byte[]> two = signaturesOver(session, 6, ALL, List.of("bank-00", "bank-01"));
    Map<String, byte[]> forged = new TreeMap<>(two);
    byte[] flipped = TestSigners.signer("bank-02").sign(ConsistencyStatement.encode(session, 6, ALL));
    flipped[5] ^= 1;
    forged.put("bank-02", flipped);
    Map<String, byte[]> duplicate = new TreeMap<>(two);
    duplicate.put("bank-02", two.get("bank-01")); // bank-01's signature presented as bank-02's
    Map<String, byte[]> outsider = new TreeMap<>(two);
    outsider.putAll(signaturesOver(session, 6, ALL, List.of("bank-99")));
    Map<String, byte[]> otherRound = new TreeMap<>(two);
    otherRound.putAll(signaturesOver(session, 7, ALL, List.of("bank-02")));
    Map<String, byte[]> empty = new TreeMap<>(two);
    empty.put("bank-02", new byte[0]);
    // then
    for (Map<String, byte[]> signatures : List.of(two, forged, duplicate, outsider, otherRound, empty)) {
      assertRejected(bank0, new UnmaskRequest(6, session, ALL, List.of(), signatures),
          RejectionReason.INVALID_SIGNATURE);
    }
    // and three valid signatures by members of the set are accepted
    Map<String, byte[]> three = new TreeMap<>(two);
    three.putAll(signaturesOver(session, 6, ALL, List.of("bank-03")));
    assertTrue(bank0.onMessage(new UnmaskRequest(6, session, ALL, List.of(), three)).isPresent());
    assertInstanceOf(ClientCompleted.class, bank0.stage());
  }

  @Test
  void bank_neverSignsASetWithoutItself_belowThreshold_withStrangersOrUnmaskedNeighbours_orTwice() {
    // given: the round is at the check; bank-00 masked with every other bank
    ManualRound round = new ManualRound(6, 47, true, false);
    upToConsistencyCheck(round);
    SecAggClient bank0 = round.clients.get("bank-00");
    byte[] session = sessionOf(round);
    byte[] otherSession = session.clone();
    otherSession[0] ^= 1;
    // then
    assertInstanceOf(AwaitingConsistencyCheck.class, bank0.stage());
    assertRejected(bank0, new ConsistencyCheckRequest(6, session, List.of("bank-01", "bank-02", "bank-03")),
        RejectionReason.INCONSISTENT);
    assertRejected(bank0, new ConsistencyCheckRequest(6, session, List.of("bank-00", "bank-01")),
        RejectionReason.INCONSISTENT);
    assertRejected(bank0, new ConsistencyCheckRequest(6, session, List.of("bank-00", "bank-01", "bank-99")),
        RejectionReason.NOT_A_PARTICIPANT);
    assertRejected(bank0, new ConsistencyCheckRequest(6, otherSession, ALL), RejectionReason.WRONG_SESSION);
    assertRejected(bank0, new UnmaskRequest(6, session, ALL, List.of(), signaturesOver(session, 6, ALL, ALL)),
        RejectionReason.WRONG_STAGE);
    // when: it signs one set
    assertTrue(bank0.onMessage(new ConsistencyCheckRequest(6, session, ALL)).isPresent());
    // then: it signs no second one
    assertRejected(bank0, new ConsistencyCheckRequest(6, session, List.of("bank-00", "bank-01", "bank-02")),
        RejectionReason.WRONG_STAGE);
  }

  @Test
  void bank_refusesASetListingANeighbourThatDeliveredItNoShares() {
    // given: bank-04 never sent its shares, so bank-00 did not mask with it
    ManualRound round = new ManualRound(6, 48, true, false);
    round.deliver(round.advertise(round.banks()), List.of("bank-00", "bank-01", "bank-02", "bank-03"));
    round.deliver(round.server.onDeadline(), List.of());
    SecAggClient bank0 = round.clients.get("bank-00");
    byte[] session = sessionOf(round);
    // then
    assertRejected(bank0, new ConsistencyCheckRequest(6, session, ALL), RejectionReason.INCONSISTENT);
    assertTrue(bank0.onMessage(new ConsistencyCheckRequest(6, session,
        List.of("bank-00", "bank-01", "bank-02", "bank-03"))).isPresent());
  }

  @Test
  void coordinator_refusesBadSignaturesNonSurvivorsDuplicatesAndOversize() {
    // given: bank-04 sent no masked input; the others are at the check
    ManualRound round = new ManualRound(6, 49, true, true);
    List<Outbound> deliveries = round.deliver(round.advertise(round.banks()), round.banks());
    List<Outbound> checks = round.deliver(deliveries, List.of("bank-00", "bank-01", "bank-02", "bank-03"));
    assertTrue(checks.isEmpty());
    checks = round.server.onDeadline();
    List<String> survivors = List.of("bank-00", "bank-01", "bank-02", "bank-03");
    assertEquals(Set.copyOf(survivors), recipients(checks));
    byte[] session = sessionOf(round);
    Map<String, ConsistencyCheckResponse> signed = new TreeMap<>();
    for (Outbound o : checks) {
      signed.put(o.recipient(), (ConsistencyCheckResponse) round.clients.get(o.recipient()).onMessage(o.message())
          .orElseThrow());
    }
    byte[] overAnotherSet = TestSigners.signer("bank-01").sign(ConsistencyStatement.encode(session, 6, ALL));
    // then
    assertRejected(round.server, "bank-01", new ConsistencyCheckResponse(6, session, "bank-01", overAnotherSet),
        RejectionReason.INVALID_SIGNATURE);
    assertRejected(round.server, "bank-01", new ConsistencyCheckResponse(6, session, "bank-01",
        signed.get("bank-02").signature()), RejectionReason.INVALID_SIGNATURE);
    assertRejected(round.server, "bank-01", new ConsistencyCheckResponse(6, session, "bank-01",
        new byte[ConsistencyStatement.MAX_SIGNATURE_LENGTH + 1]), RejectionReason.WRONG_SIZE);
    assertRejected(round.server, "bank-04", new ConsistencyCheckResponse(6, session, "bank-04", overAnotherSet),
        RejectionReason.NOT_A_PARTICIPANT);
    assertRejected(round.server, "bank-01", new MaskedInput(6, session, "bank-01", new byte[40]),
        RejectionReason.WRONG_STAGE);
    round.server.onMessage("bank-01", signed.get("bank-01"));
    assertRejected(round.server, "bank-01", signed.get("bank-01"), RejectionReason.DUPLICATE);
    assertEquals(1, ((CollectingConsistencySignatures) round.server.stage()).signaturesReceived());
    // and the genuine ones complete the stage
    for (String s : List.of("bank-00", "bank-02", "bank-03")) {
      round.server.onMessage(s, signed.get(s));
    }
    assertInstanceOf(CollectingUnmaskResponses.class, round.server.stage());
  }

  @Test
  void statement_isDomainSeparated_andBindsSessionRoundAndTheSortedSet() {
    byte[] session = new byte[32];
    byte[] base = ConsistencyStatement.encode(session, 1, List.of("b", "a", "c"));
    assertArrayEquals(base, ConsistencyStatement.encode(session, 1, List.of("a", "b", "c")));
    assertFalse(java.util.Arrays.equals(base, ConsistencyStatement.encode(session, 2, List.of("a", "b", "c"))));
    assertFalse(java.util.Arrays.equals(base, ConsistencyStatement.encode(session, 1, List.of("a", "b"))));
    assertFalse(java.util.Arrays.equals(base, ConsistencyStatement.encode(session, 1, List.of("ab", "c"))));
    byte[] other = new byte[32];
    other[31] = 1;
    assertFalse(java.util.Arrays.equals(base, ConsistencyStatement.encode(other, 1, List.of("a", "b", "c"))));
    assertTrue(new String(base, java.nio.charset.StandardCharsets.UTF_8).contains("comity/secagg/v1/consistency-check"));
    assertThrows(IllegalArgumentException.class, () -> ConsistencyStatement.encode(new byte[31], 1, List.of("a")));
  }

  @Test
  void messages_printNoSignatureBytes() {
    byte[] signature = new byte[64];
    java.util.Arrays.fill(signature, (byte) 0x5a);
    String printed = new ConsistencyCheckResponse(1, new byte[32], "bank-00", signature) + " "
        + new UnmaskRequest(1, new byte[32], ALL, List.of(), Map.of("bank-00", signature));
    assertFalse(printed.contains("5a5a") || printed.contains("WlpaWl"), printed);
    assertTrue(printed.contains("signatureBytes=64"), printed);
  }
}
