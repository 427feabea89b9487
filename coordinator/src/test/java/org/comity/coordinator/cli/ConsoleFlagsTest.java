package org.comity.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.comity.coordinator.console.ConsoleEvents;
import org.comity.coordinator.console.ConsoleServer;
import org.comity.coordinator.console.OperatorRole;
import org.comity.coordinator.console.OperatorTokens;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.server.CoordinatorOptions;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console as {@code run} starts it: with {@code --pki-dir} it serves HTTPS and shows certificate expiry. */
class ConsoleFlagsTest {
  @TempDir
  Path dir;

  @Test
  void withAPkiDir_theConsoleServesHttpsWithTheCoordinatorsCertificate_andShowsEachMembersCertificateExpiry()
      throws Exception {
    // given: a consortium PKI with one enrolled member, and a read token
    Path pki = dir.resolve("pki");
    Path passphrase = Files.writeString(dir.resolve("pass.txt"), "a long enough passphrase\n");
    assertEquals(0, CoordinatorMain.execute("ca", "init", "--pki-dir", pki.toString(), "--passphrase-file",
        passphrase.toString()));
    Path csr = Files.writeString(dir.resolve("bank-a.csr"), csr("CN=bank-a"));
    assertEquals(0, CoordinatorMain.execute("member", "enroll", "--csr", csr.toString(), "--member-id", "bank-a",
        "--validity-days", "30", "--pki-dir", pki.toString(), "--passphrase-file", passphrase.toString()));
    Path tokensFile = dir.resolve("tokens.json");
    String token = OperatorTokens.open(tokensFile, Clock.systemUTC()).create("carol", OperatorRole.READ).secret();
    FederationPlan plan = PlanLoader.parse("label: y\nfeatures: [{name: a}]\n", "test");
    ConsoleFlags flags = new ConsoleFlags();
    flags.port = 0;
    flags.bind = "127.0.0.1";
    flags.tokensFile = tokensFile;
    flags.validate(pki);
    ConsoleEvents events = new ConsoleEvents();
    try (CoordinatorServer coordinator = CoordinatorServer.start(plan, CoordinatorOptions.defaults().withPort(0),
        CoordinatorServer.plaintext(), Clock.systemUTC(), events);
         ConsoleServer console = flags.start(coordinator, plan, events, pki)) {
      // when
      HttpResponse<String> members = httpsTrusting(pki.resolve("ca.crt")).send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:%d/api/v1/members".formatted(console.port())))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      // then
      assertEquals(200, members.statusCode(), members.body());
      JsonObject bank = new JsonObject(members.body()).getJsonArray("members").getJsonObject(0);
      assertEquals("bank-a", bank.getString("id"));
      assertEquals(false, bank.getBoolean("connected"));
      assertEquals("ACTIVE", bank.getJsonObject("certificate").getString("status"));
      long daysLeft = bank.getJsonObject("certificate").getLong("daysLeft");
      assertTrue(daysLeft >= 29 && daysLeft <= 30, "30-day certificate: " + daysLeft);
      // and plain HTTP is not served on that port
      assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:%d/api/v1/members".formatted(console.port())))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    }
  }

  private static String csr(String subject) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    return PemFiles.toPem(new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private static HttpClient httpsTrusting(Path caCertificate) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caCertificate)) {
      trust.setCertificateEntry("comity-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }
}
