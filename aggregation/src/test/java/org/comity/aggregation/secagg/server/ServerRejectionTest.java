package org.comity.aggregation.secagg.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.comity.aggregation.secagg.AdvertiseKeys;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.EncryptedShares;
import org.comity.aggregation.secagg.ManualRound;
import org.comity.aggregation.secagg.MaskedInput;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.UnmaskResponse;
import org.junit.jupiter.api.Test;

/** Every refused message names its reason and leaves the coordinator's stage object untouched. */
class ServerRejectionTest {

  private static void assertRejected(SecAggServer server, String from, ClientMessage message, RejectionReason reason) {
    ServerStage before = server.stage();
    SecAggRejectedException e = assertThrows(SecAggRejectedException.class, () -> server.onMessage(from, message));
    assertEquals(reason, e.reason(), e.getMessage());
    assertSame(before, server.stage(), "stage must be unchanged after a rejection");
  }

  @Test
  void advertiseKeys_rejections() {
    // given: two banks advertised
    ManualRound round = new ManualRound(7, 1);
    round.advertise(List.of("bank-00", "bank-01"));
    AdvertiseKeys own = (AdvertiseKeys) round.lastSent.get("bank-02");
    // then
    assertRejected(round.server, "bank-00", round.lastSent.get("bank-00"), RejectionReason.DUPLICATE);
    assertRejected(round.server, "bank-03", own, RejectionReason.SENDER_MISMATCH);
    assertRejected(round.server, "bank-zz", new AdvertiseKeys(7, "bank-zz", new byte[32], new byte[32]),
        RejectionReason.NOT_A_PARTICIPANT);
    assertRejected(round.server, "bank-02", new AdvertiseKeys(6, "bank-02", own.encryptionPublicKey(),
        own.maskingPublicKey()), RejectionReason.WRONG_ROUND);
    assertRejected(round.server, "bank-02", new AdvertiseKeys(7, "bank-02", new byte[31], own.maskingPublicKey()),
        RejectionReason.WRONG_SIZE);
    assertRejected(round.server, "bank-02", new AdvertiseKeys(7, "bank-02", own.encryptionPublicKey(),
        ((AdvertiseKeys) round.lastSent.get("bank-00")).maskingPublicKey()), RejectionReason.INCONSISTENT);
    byte[] lowOrder = new byte[32];
    lowOrder[0] = 1; // the point u = 1 has order 4
    assertRejected(round.server, "bank-02", new AdvertiseKeys(7, "bank-02", lowOrder, own.maskingPublicKey()),
        RejectionReason.INCONSISTENT);
    assertRejected(round.server, "bank-02", new MaskedInput(7, new byte[32], "bank-02", new byte[40]),
        RejectionReason.WRONG_STAGE);
    assertEquals(2, ((CollectingKeys) round.server.stage()).keysAdvertised());
  }

  @Test
  void shareKeys_rejections() {
    // given: bank-04 missed the advertise deadline
    ManualRound round = new ManualRound(7, 2);
    round.advertise(List.of("bank-00", "bank-01", "bank-02", "bank-03"));
    List<Outbound> directory = round.server.onDeadline();
    round.deliver(directory, List.of("bank-00"));
    EncryptedShares fromBank1 = (EncryptedShares) round.lastSent.get("bank-01");
    // then
    assertRejected(round.server, "bank-00", round.lastSent.get("bank-00"), RejectionReason.DUPLICATE);
    assertRejected(round.server, "bank-04", new EncryptedShares(7, fromBank1.sessionId(), "bank-04", Map.of()),
        RejectionReason.NOT_A_PARTICIPANT);
    assertRejected(round.server, "bank-01", round.lastSent.get("bank-04"), RejectionReason.SENDER_MISMATCH);
    assertRejected(round.server, "bank-01", new AdvertiseKeys(7, "bank-01", new byte[32], new byte[32]),
        RejectionReason.WRONG_STAGE);
    byte[] otherSession = fromBank1.sessionId();
    otherSession[0] ^= 1;
    assertRejected(round.server, "bank-01", new EncryptedShares(7, otherSession, "bank-01",
        fromBank1.ciphertextByRecipient()), RejectionReason.WRONG_SESSION);
    Map<String, byte[]> missingOne = new TreeMap<>(fromBank1.ciphertextByRecipient());
    missingOne.remove("bank-02");
    assertRejected(round.server, "bank-01", new EncryptedShares(7, fromBank1.sessionId(), "bank-01", missingOne),
        RejectionReason.WRONG_SIZE);
    Map<String, byte[]> truncated = new TreeMap<>(fromBank1.ciphertextByRecipient());
    truncated.put("bank-02", new byte[10]);
    assertRejected(round.server, "bank-01", new EncryptedShares(7, fromBank1.sessionId(), "bank-01", truncated),
        RejectionReason.WRONG_SIZE);
    assertRejected(round.server, "bank-01", new EncryptedShares(8, fromBank1.sessionId(), "bank-01",
        fromBank1.ciphertextByRecipient()), RejectionReason.WRONG_ROUND);
  }

  @Test
  void shareKeys_replayFromAnotherSessionOfTheSameRound_rejected() {
    // given: two sessions of round 7 (e.g. a restarted round) with fresh keys
    ManualRound first = new ManualRound(7, 3);
    first.deliver(first.advertise(first.banks()), List.of());
    ManualRound second = new ManualRound(7, 4);
    second.advertise(second.banks());
    // then: bank-00's shares from the first session are refused by the second
    assertRejected(second.server, "bank-00", first.lastSent.get("bank-00"), RejectionReason.WRONG_SESSION);
  }

  @Test
  void maskedInput_rejections() {
    // given: bank-04 did not send its shares
    ManualRound round = new ManualRound(7, 5);
    List<Outbound> directory = round.advertise(round.banks());
    round.deliver(directory, List.of("bank-00", "bank-01", "bank-02", "bank-03"));
    List<Outbound> deliveries = round.server.onDeadline();
    round.deliver(deliveries, List.of("bank-00"));
    MaskedInput fromBank1 = (MaskedInput) round.lastSent.get("bank-01");
    // then
    assertRejected(round.server, "bank-00", round.lastSent.get("bank-00"), RejectionReason.DUPLICATE);
    assertRejected(round.server, "bank-04", new MaskedInput(7, fromBank1.sessionId(), "bank-04",
        fromBank1.maskedWords()), RejectionReason.NOT_A_PARTICIPANT);
    assertRejected(round.server, "bank-01", new MaskedInput(7, fromBank1.sessionId(), "bank-01", new byte[4 * 11]),
        RejectionReason.WRONG_SIZE);
    assertRejected(round.server, "bank-01", new MaskedInput(7, fromBank1.sessionId(), "bank-01", new byte[1 << 20]),
        RejectionReason.WRONG_SIZE);
    assertRejected(round.server, "bank-01", new MaskedInput(9, fromBank1.sessionId(), "bank-01",
        fromBank1.maskedWords()), RejectionReason.WRONG_ROUND);
    assertRejected(round.server, "bank-01", new UnmaskResponse(7, fromBank1.sessionId(), "bank-01", Map.of(), Map.of()),
        RejectionReason.WRONG_STAGE);
  }

  @Test
  void unmask_alteredShare_abortsWithReconstructionFailed() {
    // given: every bank survives; bank-00 sends one altered seed share
    ManualRound round = new ManualRound(7, 8);
    List<Outbound> requests = round.deliver(round.deliver(round.advertise(round.banks()), round.banks()), round.banks());
    round.deliver(requests, List.of());
    UnmaskResponse genuine = (UnmaskResponse) round.lastSent.get("bank-00");
    Map<String, org.comity.aggregation.shamir.Share> altered = new TreeMap<>(genuine.selfMaskSeedShares());
    org.comity.aggregation.shamir.Share share = altered.get("bank-01");
    byte[] y = share.y().copyOfSecret();
    y[20] ^= 4;
    altered.put("bank-01", new org.comity.aggregation.shamir.Share(share.x(),
        org.comity.aggregation.crypto.SecretBytes.copyOf(y)));
    // when
    round.server.onMessage("bank-00", new UnmaskResponse(7, genuine.sessionId(), "bank-00", altered,
        genuine.maskingKeyShares()));
    for (String b : List.of("bank-01", "bank-02", "bank-03", "bank-04")) {
      round.server.onMessage(b, round.lastSent.get(b));
    }
    // then
    assertEquals(org.comity.aggregation.secagg.AbortReason.RECONSTRUCTION_FAILED,
        round.server.aborted().orElseThrow().reason());
  }

  @Test
  void unmask_rejectionsAndCompletedStage() {
    // given: bank-04 dropped before its masked input
    ManualRound round = new ManualRound(7, 6);
    List<Outbound> directory = round.advertise(round.banks());
    List<Outbound> deliveries = round.deliver(directory, round.banks());
    round.deliver(deliveries, List.of("bank-00", "bank-01", "bank-02", "bank-03"));
    List<Outbound> requests = round.server.onDeadline();
    round.deliver(requests, List.of("bank-00"));
    UnmaskResponse fromBank1 = (UnmaskResponse) round.lastSent.get("bank-01");
    // then
    assertRejected(round.server, "bank-00", round.lastSent.get("bank-00"), RejectionReason.DUPLICATE);
    assertRejected(round.server, "bank-04", new UnmaskResponse(7, fromBank1.sessionId(), "bank-04", Map.of(), Map.of()),
        RejectionReason.NOT_A_PARTICIPANT);
    assertRejected(round.server, "bank-01", new UnmaskResponse(7, fromBank1.sessionId(), "bank-01",
        fromBank1.selfMaskSeedShares(), Map.of()), RejectionReason.WRONG_SIZE);
    // the valid one completes the round once the others answer too
    round.server.onMessage("bank-01", fromBank1);
    round.server.onMessage("bank-02", round.lastSent.get("bank-02"));
    round.server.onMessage("bank-03", round.lastSent.get("bank-03"));
    assertTrue(round.server.result().isPresent());
    assertRejected(round.server, "bank-01", fromBank1, RejectionReason.WRONG_STAGE);
  }
}
