package org.comity.wire;

import org.comity.proto.v1.ProtocolVersion;

/**
 * The federation protocol version this build speaks, and the compatibility rule.
 *
 * <p>Same major version is required (it is also part of the gRPC service name). A peer with a different
 * minor version is accepted only while this build still understands it: currently minor 0 only.
 */
public final class ProtocolVersions {
  /** Major version: part of the protobuf package {@code comity.v1}. */
  public static final int MAJOR = 1;
  /** Minor version: additive, backward-compatible changes. */
  public static final int MINOR = 0;

  private ProtocolVersions() {}

  /** This build's version as a protobuf message. */
  public static ProtocolVersion current() {
    return ProtocolVersion.newBuilder().setMajor(MAJOR).setMinor(MINOR).build();
  }

  /**
   * Returns why {@code peer} is incompatible, or {@code null} when it is compatible.
   */
  public static String incompatibility(ProtocolVersion peer) {
    if (peer == null || (peer.getMajor() == 0 && peer.getMinor() == 0)) {
      return "the peer sent no protocol version; this side speaks %s".formatted(describe(current()));
    }
    if (peer.getMajor() != MAJOR || peer.getMinor() > MINOR) {
      return "protocol version %s is not supported; this side speaks %s"
          .formatted(describe(peer), describe(current()));
    }
    return null;
  }

  /** Formats a version as {@code major.minor}. */
  public static String describe(ProtocolVersion version) {
    return version.getMajor() + "." + version.getMinor();
  }
}
