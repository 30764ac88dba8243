package com.marketplace.security;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.marketplace.client.AddressLookup;
import com.marketplace.client.BalancedChannel;
import com.marketplace.client.CallOptions;
import com.marketplace.client.CallResult;
import com.marketplace.client.ChannelOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.client.ClientTls;
import com.marketplace.client.Http2Clients;
import com.marketplace.client.RetryPolicy;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductServiceGrpc;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.CommandRun;
import com.marketplace.testing.Eventually;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.TestCertificates;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import com.marketplace.web.WebConfig;
import com.marketplace.web.WebFrontEnd;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
class TlsTest {

  private static final GetProductRequest P001 = GetProductRequest.newBuilder().setProductId("p001").build();

  @TempDir
  static Path dir;
  private static TestCertificates certificates;

  @BeforeAll
  static void makeCertificates() {
    certificates = TestCertificates.create(dir);
  }

  private static JsonObject tls() {
    return new JsonObject().put("tlsCert", certificates.serverCert().toString()).put("tlsKey", certificates.serverKey().toString());
  }

  private static Future<Product> getProduct(HttpClient client, SocketAddress server) {
    return ClientCall.call(client, server, ProductServiceGrpcClient.GetProduct, CallOptions.defaults(), 1 << 20,
        List.of(P001)).map(CallResult::single);
  }

  private static ClientTls clientTls(boolean withClientCertificate) {
    return withClientCertificate
        ? new ClientTls(certificates.caCert(), certificates.clientCert(), certificates.clientKey())
        : new ClientTls(certificates.caCert(), null, null);
  }

  private static HttpClient client(Vertx vertx, boolean withClientCertificate) {
    return TestClients.keep(Http2Clients.create(vertx, clientTls(withClientCertificate), 1 << 20));
  }

  @Test
  void tlsServesVertxAndGrpcJavaClientsOverAlpnH2(Vertx vertx) throws Exception {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls()));
    assertEquals("Laptop Pro X", await(getProduct(client(vertx, false), TestServers.address(server))).getName());

    ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", server.port())
        .sslContext(GrpcSslContexts.forClient().trustManager(certificates.caCert().toFile()).build()).build();
    try {
      assertEquals("Laptop Pro X", ProductServiceGrpc.newBlockingStub(channel)
          .getProduct(P001).getName());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPlaintextClientCannotTalkToATlsServer(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls()));
    RpcException error = (RpcException) assertThrows(Exception.class,
        () -> getProduct(TestClients.http2(vertx), TestServers.address(server)).await(10, TimeUnit.SECONDS));
    assertEquals(GrpcStatus.UNAVAILABLE, error.status());
  }

  @Test
  void mutualTlsRequiresAClientCertificateSignedByTheConfiguredCa(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls().put("tlsClientCa", certificates.caCert().toString())));
    assertEquals("Laptop Pro X", await(getProduct(client(vertx, true), TestServers.address(server))).getName());
    Exception refused = assertThrows(Exception.class,
        () -> getProduct(client(vertx, false), TestServers.address(server)).await(10, TimeUnit.SECONDS));
    assertTrue(refused instanceof RpcException rpc && rpc.status() == GrpcStatus.UNAVAILABLE, refused.toString());
  }

  @Test
  void theInteropClientPassesOverMutualTls() {
    Vertx vertx = Vertx.vertx();
    try {
      MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls().put("conformance", true)
          .put("tlsClientCa", certificates.caCert().toString())));
      CommandRun run = CommandRun.of("interop-client", "--host", "localhost", "--port", String.valueOf(server.port()),
          "--use-tls", "--ca-file", certificates.caCert().toString(), "--cert-file", certificates.clientCert().toString(),
          "--key-file", certificates.clientKey().toString(), "--test-case", "large_unary");
      assertEquals(0, run.exitCode(), run.out() + run.err());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aKeyWithoutACertificateIsAConfigError() {
    CommandRun run = CommandRun.of("serve", "--tls-key", certificates.serverKey().toString());
    assertEquals(2, run.exitCode());
    assertEquals("error: config key 'tlsKey': only allowed with 'tlsCert'", run.err());
  }

  @Test
  void aBalancedChannelCallsAndHealthChecksTlsBackends(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls()));
    ChannelOptions options = ChannelOptions.of(List.of(HostAndPort.create("localhost", server.port())))
        .withHealthCheckInterval(Duration.ofMillis(100)).withTls(clientTls(false));
    Context context = vertx.getOrCreateContext();
    BalancedChannel channel = await(onContext(context, () -> BalancedChannel.open(vertx, options)));
    try {
      assertEquals("Laptop Pro X", await(onContext(context, () -> getProduct(channel))).getName());
      await(Eventually.until(vertx, () -> onContext(context,
          () -> Future.succeededFuture(channel.backendStates().containsValue("SERVING"))), "a TLS health check"));
    } finally {
      await(onContext(context, channel::close));
    }
  }

  /** The log says why a backend is unreachable: here, a certificate its CA list does not vouch for. */
  @Test
  void aBackendWhoseHandshakeFailsIsLoggedUnreachableWithTheReason(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls()));
    String name = "127.0.0.1:" + server.port();
    ChannelOptions jvmTrustOnly = ChannelOptions.of(List.of(HostAndPort.create("127.0.0.1", server.port())))
        .withTls(new ClientTls(null, null, null));
    Context context = vertx.getOrCreateContext();
    try (LogCapture log = LogCapture.of(BalancedChannel.class.getName())) {
      BalancedChannel channel = await(onContext(context, () -> BalancedChannel.open(vertx, jvmTrustOnly)));
      await(Eventually.until(vertx, () -> onContext(context,
          () -> Future.succeededFuture("UNREACHABLE".equals(channel.backendStates().get(name)))), "a failed TLS health check"));
      await(onContext(context, channel::close));

      assertEquals(List.of("backend " + name + " is UNREACHABLE (cannot reach " + name
              + ": Failed to create SSL connection: unable to find valid certification path to requested target)"),
          log.events().stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
  }

  @Test
  void aBalancedChannelPresentsItsClientCertificateToAMutualTlsBackend(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls().put("tlsClientCa", certificates.caCert().toString())));
    HostAndPort target = HostAndPort.create("127.0.0.1", server.port());

    assertEquals("Laptop Pro X", await(getProductOnce(vertx, target, clientTls(true), AddressLookup.SYSTEM)).getName());
  }

  /** The certificate is checked against the name the channel was given, not only against the CA. */
  @Test
  void aBalancedChannelRefusesABackendWhoseCertificateDoesNotNameTheTarget(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls()));
    AddressLookup shopInternal = host -> List.of(InetAddress.getLoopbackAddress());

    RpcException refused = (RpcException) assertThrows(Exception.class, () -> getProductOnce(vertx,
        HostAndPort.create("shop.internal", server.port()), clientTls(false), shopInternal).await(10, TimeUnit.SECONDS));
    assertEquals(GrpcStatus.UNAVAILABLE, refused.status());
    assertTrue(refused.getMessage().contains("shop.internal"), refused.getMessage());
  }

  @Test
  void theLoadClientRunsOverMutualTls(Vertx vertx) throws Exception {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls().put("tlsClientCa", certificates.caCert().toString())));
    Path json = dir.resolve("tls-load.json");
    CommandRun run = CommandRun.of("load", "--target", "localhost:" + server.port(), "--rpc", "get-product",
        "--requests", "50", "--concurrency", "5", "--warmup", "0s", "--json", json.toString(), "--use-tls",
        "--ca-file", certificates.caCert().toString(), "--cert-file", certificates.clientCert().toString(),
        "--key-file", certificates.clientKey().toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().startsWith("load: get-product against [localhost:" + server.port() + "] over TLS,"), run.out());
    JsonObject summary = new JsonObject(Files.readString(json));
    assertEquals(50, summary.getLong("ok"), summary.encode());
    assertTrue(summary.getBoolean("tls"), summary.encode());
  }

  /**
   * Regression: a run that could not make a TLS connection (or made a cleartext one to a TLS server)
   * counted every call as UNAVAILABLE and exited 0, where an unreachable target fails at once.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "false | ': Connection was closed (if it serves TLS: --use-tls)'",
      "true  | ': Failed to create SSL connection: unable to find valid certification path to requested target'"})
  void aLoadRunThatCannotConnectSaysWhyAtOnce(boolean useTls, String why, Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls()));
    List<String> args = new ArrayList<>(List.of("load", "--target", "127.0.0.1:" + server.port(), "--rpc", "get-product",
        "--duration", "10m"));
    if (useTls) {
      args.add("--use-tls"); // trusting the JVM's CAs only, which did not sign the test certificate
    }
    CommandRun run = CommandRun.of(args.toArray(String[]::new));
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertEquals("error: cannot reach 127.0.0.1:" + server.port() + why, run.err());
    assertEquals("", run.out(), "no run, no summary");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--ca-file {ca}                                     | error: --ca-file needs --use-tls",
      "--use-tls --cert-file {clientCert}                 | error: --cert-file and --key-file go together",
      "--use-tls --ca-file /no/such.pem                   | error: --ca-file: cannot read /no/such.pem",
      "--use-tls --ca-file {clientKey}                    | error: --ca-file: cannot use {clientKey}: Missing -----BEGIN CERTIFICATE----- delimiter",
      "--use-tls --cert-file {clientCert} --key-file {ca} | error: --cert-file/--key-file: cannot use {clientCert} and {ca}: Missing",
      "--use-tls --cert-file {ca} --key-file {clientKey}  | error: --cert-file/--key-file: cannot use {ca} and {clientKey}: the private key is not the one of the certificate"})
  void badTlsFlagsAreOneLineErrors(String flags, String error) {
    for (String command : List.of("load --target localhost:1", "interop-client --port 1")) {
      CommandRun run = CommandRun.of((command + " " + withFiles(flags)).split(" "));
      assertEquals(2, run.exitCode(), run.out() + run.err());
      assertTrue(run.err().startsWith(withFiles(error)), run.err());
      assertFalse(run.err().contains("\n"), run.err());
    }
  }

  @Test
  void theWebShopCallsItsBackendsOverTls(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls()));
    WebConfig config = new WebConfig("127.0.0.1", 0, List.of(HostAndPort.create("localhost", server.port())),
        Duration.ofSeconds(2), List.of("Electronics"), 1, clientTls(false));
    WebFrontEnd web = await(WebFrontEnd.start(vertx, config));

    HttpClient browser = TestClients.keep(vertx.createHttpClient());
    String page = await(browser.request(HttpMethod.GET, web.port(), "127.0.0.1", "/products/p001")
        .compose(request -> request.send()).compose(response -> response.body())).toString();
    assertTrue(page.contains("<h1>Laptop Pro X</h1>"), page);
  }

  /** Runs {@code work} on {@code context}: a channel is only ever used from its own. */
  private static <T> Future<T> onContext(Context context, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return done.future();
  }

  private static Future<Product> getProduct(BalancedChannel channel) {
    return channel.call(ProductServiceGrpcClient.GetProduct, CallOptions.defaults(), List.of(P001)).map(CallResult::single);
  }

  /** A GetProduct through a channel of its own to {@code target}, closed after the call. */
  private static Future<Product> getProductOnce(Vertx vertx, HostAndPort target, ClientTls tls, AddressLookup lookup) {
    ChannelOptions options = ChannelOptions.of(List.of(target)).withTls(tls).withRetry(RetryPolicy.defaults().withMaxAttempts(1));
    return onContext(vertx.getOrCreateContext(), () -> BalancedChannel.open(vertx, options, lookup)
        .compose(channel -> getProduct(channel).eventually(channel::close)));
  }

  /** Regression: the server began to start and failed with exit code 1 and Vert.x's message. */
  @Test
  void aCertificateFileThatCannotBeReadIsAConfigError() {
    CommandRun run = CommandRun.of("serve", "--tls-cert", "/no/such/cert.pem", "--tls-key", certificates.serverKey().toString());
    assertEquals(2, run.exitCode());
    assertEquals("error: config key 'tlsCert': cannot read the file /no/such/cert.pem", run.err());
  }

  /**
   * Regression: a key that was not the certificate's started a server whose every handshake failed,
   * and a file that was not PEM failed the start with exit code 1 and Vert.x's message alone.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--tls-cert {serverCert} --tls-key {clientKey}                             | error: config keys 'tlsCert' and 'tlsKey': cannot use the files {serverCert} and {clientKey}: the private key is not the one of the certificate",
      "--tls-cert {serverKey} --tls-key {serverKey}                              | error: config keys 'tlsCert' and 'tlsKey': cannot use the files {serverKey} and {serverKey}: Missing -----BEGIN CERTIFICATE----- delimiter",
      "--tls-cert {serverCert} --tls-key {serverKey} --tls-client-ca {serverKey} | error: config key 'tlsClientCa': cannot use the file {serverKey}: Missing -----BEGIN CERTIFICATE----- delimiter"})
  void tlsFilesThatCannotServeTogetherAreAConfigError(String flags, String error) {
    CommandRun run = CommandRun.of(("serve " + withFiles(flags)).split(" "));
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertEquals(withFiles(error), run.err());
  }

  /** {@code text} with the test certificates' paths for {ca}, {serverCert}, {serverKey}, {clientCert} and {clientKey}. */
  private static String withFiles(String text) {
    return text.replace("{ca}", certificates.caCert().toString())
        .replace("{serverCert}", certificates.serverCert().toString()).replace("{serverKey}", certificates.serverKey().toString())
        .replace("{clientCert}", certificates.clientCert().toString()).replace("{clientKey}", certificates.clientKey().toString());
  }
}
