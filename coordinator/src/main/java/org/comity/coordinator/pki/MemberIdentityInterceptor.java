package org.comity.coordinator.pki;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.comity.coordinator.rpc.FederationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates each call by the client certificate of its TLS session and runs it with the member id in
 * {@link FederationService.MemberIdentity#CURRENT}; services never parse certificates.
 *
 * <p>With TLS: a call whose certificate names no valid member id (one single-valued CN following the member-id
 * rule) is closed with {@code UNAUTHENTICATED}; a certificate on the revocation list with
 * {@code PERMISSION_DENIED} "member X is revoked". The list is asked for on every call, so a supplier that reloads
 * the CRL file ({@link RevocationList#reloading}) makes a revocation effective on the member's next call, without
 * a restart (calls already running finish).
 *
 * <p>Without an SSL session (plaintext loopback, in-process tests) calls pass through unchanged and the identity
 * stays {@code null}.
 */
public final class MemberIdentityInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(MemberIdentityInterceptor.class);

  private final Supplier<RevocationList> revocations;

  public MemberIdentityInterceptor(Supplier<RevocationList> revocations) {
    this.revocations = Objects.requireNonNull(revocations, "revocations");
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return next.startCall(call, headers);
    }
    X509Certificate certificate;
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return refuse(call, Status.UNAUTHENTICATED.withDescription("no X.509 client certificate"), "no_certificate");
      }
      certificate = leaf;
    } catch (SSLPeerUnverifiedException e) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription("the TLS session has no verified client certificate"),
          "no_certificate");
    }
    Optional<String> memberId = MemberCertificates.memberId(certificate);
    if (memberId.isEmpty()) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(
          "the client certificate names no valid member id (one CN of " + MemberCertificates.describeRule() + ")"),
          "bad_certificate_subject");
    }
    if (revocations.get().isRevoked(certificate)) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription(
          "member %s is revoked; ask the consortium operator".formatted(memberId.get())), "revoked");
    }
    Context context = Context.current().withValue(FederationService.MemberIdentity.CURRENT, memberId.get())
        .withValue(FederationService.MemberIdentity.CERTIFICATE, certificate);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, Status status,
      String reasonCode) {
    log.warn("refused call to {} ({}): {}", call.getMethodDescriptor().getFullMethodName(), reasonCode,
        status.getDescription());
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
