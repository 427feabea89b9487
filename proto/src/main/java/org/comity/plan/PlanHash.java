package org.comity.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical form of a plan and its SHA-256. The canonical form is the effective plan (defaults filled in)
 * as JSON with sorted keys, so two files that differ only in layout, comments, key order or spelled-out
 * defaults have the same hash, and any change of meaning changes it. Rounds and updates are bound to this hash.
 *
 * <p>Sections and keys added after canonical form 1 ({@code scoring}, {@code privacy.bank_level.noise_placement})
 * are left out of the canonical JSON while they hold their defaults, so a plan written before they existed keeps its
 * hash (and the runs, model versions and exports bound to it stay valid); any non-default value is included and
 * changes the hash.
 */
public final class PlanHash {
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .addModule(new SimpleModule().addSerializer(Duration.class, new DurationAsMillis()))
      .addMixIn(FederationPlan.class, PlanSectionsAddedLater.class)
      .addMixIn(BankPrivacySpec.class, BankPrivacyKeysAddedLater.class)
      .build();

  private PlanHash() {}

  /** The canonical JSON of {@code plan}. */
  public static String canonicalJson(FederationPlan plan) {
    try {
      return CANONICAL.writeValueAsString(new Canonical(plan));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the plan", e);
    }
  }

  /** Lowercase hex SHA-256 of the canonical JSON. */
  public static String of(FederationPlan plan) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(canonicalJson(plan).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Wrapper that versions the canonical form, so a future change of form cannot collide with this one. */
  private record Canonical(int canonicalFormVersion, FederationPlan plan) {
    Canonical(FederationPlan plan) {
      this(1, plan);
    }
  }

  /** Omits the sections added after canonical form 1 while they hold their defaults (see the class comment). */
  private abstract static class PlanSectionsAddedLater {
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultScoring.class)
    abstract ScoringSpec scoring();
  }

  /** Omits {@code noisePlacement} while it is central, the behaviour of every plan written before the key existed. */
  private abstract static class BankPrivacyKeysAddedLater {
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = CentralNoise.class)
    abstract BankPrivacySpec.NoisePlacement noisePlacement();
  }

  /** Jackson value filter: {@code equals} answers "leave this value out". */
  private static final class CentralNoise {
    @Override
    public boolean equals(Object value) {
      return value == BankPrivacySpec.NoisePlacement.CENTRAL;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** Jackson value filter: {@code equals} answers "leave this value out". */
  private static final class DefaultScoring {
    @Override
    public boolean equals(Object value) {
      return ScoringSpec.defaults().equals(value);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** Durations are written as whole milliseconds: one spelling per meaning. */
  private static final class DurationAsMillis extends StdSerializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationAsMillis() {
      super(Duration.class);
    }

    @Override
    public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider) throws IOException {
      generator.writeNumber(value.toMillis());
    }
  }
}
