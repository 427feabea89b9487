package org.comity.coordinator.pki;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.comity.coordinator.rpc.FederationService;

/** A one-method test service that answers with the authenticated member id the interceptor put in the context. */
final class WhoAmIService {
  static final MethodDescriptor<String, String> WHO_AM_I = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("comity.test.WhoAmI", "Ask"))
      .setRequestMarshaller(new Utf8())
      .setResponseMarshaller(new Utf8())
      .build();
  static final String ANONYMOUS = "<no member identity>";

  private WhoAmIService() {}

  static ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder("comity.test.WhoAmI")
        .addMethod(WHO_AM_I, ServerCalls.asyncUnaryCall((request, response) -> {
          String id = FederationService.MemberIdentity.CURRENT.get();
          response.onNext(id == null ? ANONYMOUS : id);
          response.onCompleted();
        }))
        .build();
  }

  static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
