package org.comity.aggregation.secagg.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.AdvertiseKeys;
import org.comity.aggregation.secagg.KeyDirectory;
import org.comity.aggregation.secagg.ManualRound;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundAborted;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;
import org.comity.aggregation.secagg.ShareDelivery;
import org.comity.aggregation.secagg.UnmaskRequest;
import org.comity.aggregation.secagg.UnmaskResponse;
import org.comity.aggregation.secagg.server.Outbound;
import org.junit.jupiter.api.Test;

/** A bank refuses malformed or malicious coordinator messages with a reason, its stage unchanged. */
class ClientRejectionTest {

  private static void assertRejected(SecAggClient client, ServerMessage message, RejectionReason reason) {
    ClientStage before = client.stage();
    SecAggRejectedException e = assertThrows(SecAggRejectedException.class, () -> client.onMessage(message));
    assertEquals(reason, e.reason(), e.getMessage());
    assertSame(before, client.stage(), "stage must be unchanged after a rejection");
  }

  @Test
  void keyDirectory_withAlteredOwnKeyOrWrongRoundOrWrongStage_refused() {
    // given
    ManualRound round = new ManualRound(7, 11);
    List<Outbound> directory = round.advertise(round.banks());
    KeyDirectory genuine = (KeyDirectory) directory.get(0).message();
    SecAggClient bank0 = round.clients.get("bank-00");
    List<AdvertiseKeys> altered = new ArrayList<>(genuine.advertised());
    AdvertiseKeys own = altered.get(0);
    byte[] otherKey = own.maskingPublicKey();
    otherKey[3] ^= 1;
    altered.set(0, new AdvertiseKeys(7, "bank-00", own.encryptionPublicKey(), otherKey));
    // then
    assertRejected(bank0, new KeyDirectory(7, altered), RejectionReason.INCONSISTENT);
    assertRejected(bank0, new KeyDirectory(8, genuine.advertised()), RejectionReason.WRONG_ROUND);
    assertRejected(bank0, new KeyDirectory(7, genuine.advertised().subList(0, 2)), RejectionReason.INCONSISTENT);
    assertRejected(bank0, new UnmaskRequest(7, new byte[32], List.of(), List.of()), RejectionReason.WRONG_STAGE);
    // and the genuine directory is still accepted afterwards
    assertTrue(bank0.onMessage(genuine).isPresent());
  }

  @Test
  void shareDelivery_tamperedCiphertextOrForeignSender_refused_thenGenuineAccepted() {
    // given
    ManualRound round = new ManualRound(7, 12);
    List<Outbound> deliveries = round.deliver(round.advertise(round.banks()), round.banks());
    ShareDelivery genuine = (ShareDelivery) deliveries.stream().filter(o -> o.recipient().equals("bank-00"))
        .findFirst().orElseThrow().message();
    SecAggClient bank0 = round.clients.get("bank-00");
    Map<String, byte[]> tampered = new TreeMap<>(genuine.ciphertextBySender());
    byte[] c = tampered.get("bank-01");
    c[c.length - 1] ^= 1;
    tampered.put("bank-01", c);
    Map<String, byte[]> swapped = new TreeMap<>(genuine.ciphertextBySender());
    swapped.put("bank-01", genuine.ciphertextBySender().get("bank-02")); // moved to another sender: AAD mismatch
    Map<String, byte[]> foreign = new TreeMap<>(genuine.ciphertextBySender());
    foreign.put("bank-99", c);
    byte[] otherSession = genuine.sessionId();
    otherSession[0] ^= 1;
    // then
    assertRejected(bank0, new ShareDelivery(7, genuine.sessionId(), tampered), RejectionReason.DECRYPTION_FAILED);
    assertRejected(bank0, new ShareDelivery(7, genuine.sessionId(), swapped), RejectionReason.DECRYPTION_FAILED);
    assertRejected(bank0, new ShareDelivery(7, genuine.sessionId(), foreign), RejectionReason.NOT_A_PARTICIPANT);
    assertRejected(bank0, new ShareDelivery(7, otherSession, genuine.ciphertextBySender()), RejectionReason.WRONG_SESSION);
    assertRejected(bank0, new ShareDelivery(7, genuine.sessionId(), Map.of("bank-01", genuine.ciphertextBySender()
        .get("bank-01"))), RejectionReason.INCONSISTENT); // 1 neighbour + self < threshold 3
    assertTrue(bank0.onMessage(genuine).isPresent());
  }

  @Test
  void unmaskRequest_peerListedAsBothSurvivorAndDropped_refused_andSecondRequestNeverAnswered() {
    // given: all five banks sent masked inputs
    ManualRound round = new ManualRound(7, 13);
    List<Outbound> deliveries = round.deliver(round.advertise(round.banks()), round.banks());
    round.deliver(deliveries, List.of()); // masked inputs are not forwarded: the test plays the coordinator
    SecAggClient bank0 = round.clients.get("bank-00");
    byte[] session = ((ShareDelivery) round.lastReceived.get("bank-00")).sessionId();
    List<String> all = round.banks();
    // then: a request naming bank-01 in both sets is refused
    assertRejected(bank0, new UnmaskRequest(7, session, all, List.of("bank-01")), RejectionReason.INCONSISTENT);
    // a request not naming this bank as a survivor, or omitting a neighbour, is refused
    assertRejected(bank0, new UnmaskRequest(7, session, List.of("bank-01", "bank-02", "bank-03"), List.of("bank-00",
        "bank-04")), RejectionReason.INCONSISTENT);
    assertRejected(bank0, new UnmaskRequest(7, session, List.of("bank-00", "bank-01", "bank-02"), List.of("bank-03")),
        RejectionReason.INCONSISTENT);
    // when: a malicious coordinator first claims bank-01 survived, then that it dropped
    UnmaskResponse first = (UnmaskResponse) bank0.onMessage(new UnmaskRequest(7, session,
        List.of("bank-00", "bank-01", "bank-02", "bank-03"), List.of("bank-04"))).orElseThrow();
    assertTrue(first.selfMaskSeedShares().containsKey("bank-01"));
    assertTrue(first.maskingKeyShares().containsKey("bank-04"));
    assertTrue(!first.maskingKeyShares().containsKey("bank-01"));
    // then: the second request is never answered, so bank-01's key share is never revealed
    assertRejected(bank0, new UnmaskRequest(7, session, List.of("bank-00", "bank-02", "bank-03", "bank-04"),
        List.of("bank-01")), RejectionReason.WRONG_STAGE);
    assertInstanceOf(ClientCompleted.class, bank0.stage());
  }

  @Test
  void roundAborted_movesBankToAborted_andNothingIsAcceptedAfterwards() {
    ManualRound round = new ManualRound(7, 14);
    round.advertise(round.banks());
    SecAggClient bank0 = round.clients.get("bank-00");
    bank0.onMessage(new RoundAborted(7, AbortReason.TOO_FEW_KEYS_ADVERTISED, "2 of 5"));
    assertInstanceOf(ClientAborted.class, bank0.stage());
    assertRejected(bank0, new KeyDirectory(7, List.of()), RejectionReason.WRONG_STAGE);
  }

  @Test
  void start_twiceOrWithWrongLength_refused() {
    ManualRound round = new ManualRound(7, 15);
    SecAggClient bank0 = round.clients.get("bank-00");
    assertThrows(IllegalArgumentException.class, () -> bank0.start(new ClientInput(new double[3], 5)));
    assertThrows(IllegalArgumentException.class, () -> bank0.start(new ClientInput(new double[8], 0)));
    bank0.start(round.inputs.get("bank-00"));
    assertThrows(IllegalStateException.class, () -> bank0.start(round.inputs.get("bank-00")));
  }
}
