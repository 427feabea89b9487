package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.comity.aggregation.crypto.SecretBytes;
import org.comity.aggregation.crypto.X25519KeyAgreement;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.server.Outbound;
import org.comity.aggregation.shamir.Share;
import org.junit.jupiter.api.Test;

/**
 * toString() of every type that holds a secret (keys, seeds, shares, plaintext updates) is redacted:
 * it says "redacted" and contains no long hex, base64 or decimal-array dump.
 */
class RedactionTest {
  private static final Pattern LONG_HEX = Pattern.compile("[0-9a-fA-F]{16,}");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{24,}={0,2}");
  private static final Pattern NUMBER_ARRAY = Pattern.compile("\\[-?\\d+(\\.\\d+)?(, -?\\d+(\\.\\d+)?){3,}");

  @Test
  void everySecretHoldingObject_printsRedacted() {
    // given: a round driven to the unmask stage, collecting every secret-holding object on the way
    ManualRound round = new ManualRound(7, 21);
    List<Object> holders = new ArrayList<>();
    holders.add(SecretBytes.random(32, RoundHarness.seeded(1)));
    holders.add(X25519KeyAgreement.generate(RoundHarness.seeded(2)));
    holders.add(new ClientInput(new double[] {0.123456, 0.5, 0.25, 0.75, 0.125}, 12345));
    holders.add(round.inputs.get("bank-00"));
    List<Outbound> directory = round.advertise(round.banks());
    holders.add(round.clients.get("bank-00").stage());
    List<Outbound> deliveries = round.deliver(directory, round.banks());
    holders.add(round.clients.get("bank-00").stage());
    List<Outbound> requests = round.deliver(deliveries, round.banks());
    holders.add(round.clients.get("bank-00").stage());
    round.deliver(requests, List.of());
    UnmaskResponse response = (UnmaskResponse) round.lastSent.get("bank-00");
    holders.add(response);
    for (Share s : response.selfMaskSeedShares().values()) {
      holders.add(s);
    }
    // then
    for (Object o : holders) {
      String text = o.toString();
      assertTrue(text.contains("redacted"), o.getClass().getSimpleName() + " not redacted: " + text);
      assertFalse(LONG_HEX.matcher(text).find(), o.getClass().getSimpleName() + " prints hex: " + text);
      assertFalse(BASE64.matcher(text).find(), o.getClass().getSimpleName() + " prints base64: " + text);
      assertFalse(NUMBER_ARRAY.matcher(text).find(), o.getClass().getSimpleName() + " prints an array: " + text);
    }
    // and no share value appears in the response's text in any form
    for (Share s : response.selfMaskSeedShares().values()) {
      String hex = java.util.HexFormat.of().formatHex(s.y().copyOfSecret());
      assertFalse(response.toString().contains(hex.substring(0, 12)));
    }
  }

  @Test
  void consistencyCheckStages_printRedacted_andNoSignatureBytes() {
    // given: a checked round up to the unmask request
    ManualRound round = new ManualRound(7, 22, true, true);
    List<Object> holders = new ArrayList<>();
    List<Outbound> checks = round.deliver(round.deliver(round.advertise(round.banks()), round.banks()), round.banks());
    holders.add(round.clients.get("bank-00").stage());
    List<Outbound> unmask = round.deliver(checks, round.banks());
    holders.add(round.clients.get("bank-00").stage());
    // then
    // (only what follows the class name is inspected: "AwaitingConsistencyCheck" is itself base64-like)
    for (Object o : holders) {
      String text = o.toString().substring(o.toString().indexOf('['));
      assertTrue(text.contains("redacted"), o.getClass().getSimpleName() + " not redacted: " + text);
      assertFalse(LONG_HEX.matcher(text).find() || BASE64.matcher(text).find(), text);
    }
    for (Object o : List.of(round.lastSent.get("bank-00"), unmask.get(0).message())) {
      String text = o.toString().substring(o.toString().indexOf('['));
      assertFalse(LONG_HEX.matcher(text).find() || BASE64.matcher(text).find() || NUMBER_ARRAY.matcher(text).find(),
          o.getClass().getSimpleName() + " prints bytes: " + text);
    }
  }
}
