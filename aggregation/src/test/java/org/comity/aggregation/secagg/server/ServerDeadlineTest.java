package org.comity.aggregation.secagg.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.KeyDirectory;
import org.comity.aggregation.secagg.ManualRound;
import org.comity.aggregation.secagg.RoundAborted;
import org.comity.aggregation.secagg.ShareDelivery;
import org.comity.aggregation.secagg.UnmaskRequest;
import org.junit.jupiter.api.Test;

/**
 * What each coordinator stage does when the round engine reports its deadline (5 banks, threshold
 * 3): proceed with the banks that answered if they are at least the threshold, else abort, tell the
 * banks still in the round, and stay aborted.
 */
class ServerDeadlineTest {
  private static final List<String> THREE = List.of("bank-00", "bank-01", "bank-02");
  private static final List<String> TWO = List.of("bank-00", "bank-01");

  private static Set<String> recipients(List<Outbound> out) {
    return out.stream().map(Outbound::recipient).collect(Collectors.toSet());
  }

  @Test
  void advertiseKeys_deadlineWithThresholdAdvertised_sendsDirectoryToAdvertisersOnly() {
    ManualRound round = new ManualRound(1, 31);
    round.advertise(THREE);
    List<Outbound> out = round.server.onDeadline();
    assertEquals(Set.copyOf(THREE), recipients(out));
    assertEquals(3, ((KeyDirectory) out.get(0).message()).advertised().size());
    assertInstanceOf(CollectingShares.class, round.server.stage());
  }

  @Test
  void advertiseKeys_deadlineBelowThreshold_abortsAndNotifiesAdvertisers() {
    ManualRound round = new ManualRound(1, 32);
    round.advertise(TWO);
    List<Outbound> out = round.server.onDeadline();
    assertEquals(AbortReason.TOO_FEW_KEYS_ADVERTISED, round.server.aborted().orElseThrow().reason());
    assertEquals(Set.copyOf(TWO), recipients(out));
    assertInstanceOf(RoundAborted.class, out.get(0).message());
    assertTrue(round.server.onDeadline().isEmpty(), "an aborted round ignores later deadlines");
  }

  @Test
  void shareKeys_deadline_proceedsWithSendersOrAborts() {
    ManualRound ok = new ManualRound(1, 33);
    ok.deliver(ok.advertise(ok.banks()), THREE);
    List<Outbound> deliveries = ok.server.onDeadline();
    assertEquals(Set.copyOf(THREE), recipients(deliveries));
    ShareDelivery toBank0 = (ShareDelivery) deliveries.stream().filter(o -> o.recipient().equals("bank-00"))
        .findFirst().orElseThrow().message();
    assertEquals(Set.of("bank-01", "bank-02"), toBank0.ciphertextBySender().keySet());

    ManualRound short1 = new ManualRound(1, 34);
    short1.deliver(short1.advertise(short1.banks()), TWO);
    List<Outbound> out = short1.server.onDeadline();
    assertEquals(AbortReason.TOO_FEW_SHARES_SENT, short1.server.aborted().orElseThrow().reason());
    assertEquals(Set.copyOf(short1.banks()), recipients(out));
  }

  @Test
  void maskedInput_deadline_requestsUnmaskFromSurvivorsOrAborts() {
    ManualRound ok = new ManualRound(1, 35);
    ok.deliver(ok.deliver(ok.advertise(ok.banks()), ok.banks()), THREE);
    List<Outbound> requests = ok.server.onDeadline();
    assertEquals(Set.copyOf(THREE), recipients(requests));
    UnmaskRequest request = (UnmaskRequest) requests.get(0).message();
    assertEquals(THREE, request.survivors());
    assertEquals(List.of("bank-03", "bank-04"), request.dropped());

    ManualRound short1 = new ManualRound(1, 36);
    short1.deliver(short1.deliver(short1.advertise(short1.banks()), short1.banks()), TWO);
    short1.server.onDeadline();
    assertEquals(AbortReason.TOO_FEW_MASKED_INPUTS, short1.server.aborted().orElseThrow().reason());
  }

  @Test
  void unmask_allSurvivorsAnswer_completesWithoutWaitingForTheDeadline() {
    ManualRound round = new ManualRound(1, 38);
    round.deliver(round.deliver(round.advertise(round.banks()), round.banks()), THREE);
    List<Outbound> requests = round.server.onDeadline();
    round.deliver(requests, THREE);
    assertTrue(round.server.result().isPresent());
    assertEquals(THREE, round.server.result().orElseThrow().contributors());
    assertEquals(List.of("bank-03", "bank-04"), round.server.result().orElseThrow().droppedAfterSharing());
  }

  @Test
  void unmask_deadlineWithSomeResponsesMissing_completesIfEverySecretHasThresholdShares() {
    // 5 survivors, threshold 3: bank-03 and bank-04 never answer; each secret still has 3 shares
    ManualRound round = new ManualRound(1, 37);
    List<Outbound> requests = round.deliver(round.deliver(round.advertise(round.banks()), round.banks()),
        round.banks());
    round.deliver(requests, THREE);
    assertInstanceOf(CollectingUnmaskResponses.class, round.server.stage());
    round.server.onDeadline();
    assertEquals(round.banks(), round.server.result().orElseThrow().contributors());
  }

  @Test
  void abort_byCaller_notifiesBanksStillInTheRound() {
    ManualRound round = new ManualRound(1, 39);
    round.deliver(round.advertise(round.banks()), THREE);
    List<Outbound> out = round.server.abort("operator stopped the round");
    assertEquals(AbortReason.ABORTED_BY_CALLER, round.server.aborted().orElseThrow().reason());
    assertEquals(Set.copyOf(round.banks()), recipients(out));
  }
}
