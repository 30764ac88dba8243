package com.marketplace.security;

import com.marketplace.client.Http2Clients;
import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductServiceGrpc;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.CommandRun;
import com.marketplace.testing.TestCertificates;
import com.marketplace.testing.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class TlsTest {

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
        List.of(GetProductRequest.newBuilder().setProductId("p001").build())).map(result -> result.single());
  }

  private static HttpClient client(Vertx vertx, boolean withClientCertificate) {
    HttpClientOptions http = new HttpClientOptions().setSsl(true).setUseAlpn(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certificates.caCert().toString()));
    if (withClientCertificate) {
      http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificates.clientCert().toString())
          .setKeyPath(certificates.clientKey().toString()));
    }
    return TestClients.keep(Http2Clients.create(vertx, http, 1 << 20));
  }

  @Test
  void tlsServesVertxAndGrpcJavaClientsOverAlpnH2(Vertx vertx) throws Exception {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls()));
    assertEquals("Laptop Pro X", await(getProduct(client(vertx, false), TestServers.address(server))).getName());

    ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", server.port())
        .sslContext(GrpcSslContexts.forClient().trustManager(certificates.caCert().toFile()).build()).build();
    try {
      assertEquals("Laptop Pro X", ProductServiceGrpc.newBlockingStub(channel)
          .getProduct(GetProductRequest.newBuilder().setProductId("p001").build()).getName());
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
  void theInteropClientPassesOverTls() {
    Vertx vertx = Vertx.vertx();
    try {
      MarketplaceServer server = TestServers.start(vertx, TestServers.config(tls().put("conformance", true)));
      CommandRun run = CommandRun.of("interop-client", "--host", "localhost", "--port", String.valueOf(server.port()),
          "--use-tls", "--ca-file", certificates.caCert().toString(), "--test-case", "large_unary");
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

  /** Regression: the server began to start and failed with exit code 1 and Vert.x's message. */
  @Test
  void aCertificateFileThatCannotBeReadIsAConfigError() {
    CommandRun run = CommandRun.of("serve", "--tls-cert", "/no/such/cert.pem", "--tls-key", certificates.serverKey().toString());
    assertEquals(2, run.exitCode());
    assertEquals("error: config key 'tlsCert': cannot read the file /no/such/cert.pem", run.err());
  }
}
