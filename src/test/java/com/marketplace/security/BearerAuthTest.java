package com.marketplace.security;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.proto.unary.Message;
import com.marketplace.proto.unary.UnaryGrpcClient;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.TestServers;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class BearerAuthTest {

  private static final String ISSUER = "https://issuer.test";
  private static final String AUDIENCE = "marketplace";
  private static final GetProductRequest P001 = GetProductRequest.newBuilder().setProductId("p001").build();

  @TempDir
  Path dir;

  /** A key pair: the server trusts {@code publicKeyFile}, tokens are signed with {@code signer}. */
  private record Keys(Path publicKeyFile, JWTAuth signer, String algorithm) {}

  private Keys keys(Vertx vertx, String keyAlgorithm, String jwtAlgorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
    generator.initialize(keyAlgorithm.equals("RSA") ? 2048 : 256);
    KeyPair pair = generator.generateKeyPair();
    Path publicKey = Files.writeString(Files.createTempFile(dir, "public", ".pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(jwtAlgorithm).setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))));
    return new Keys(publicKey, signer, jwtAlgorithm);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static String token(Keys keys, String scope, String issuer, String audience, int expiresInSeconds) {
    JsonObject claims = new JsonObject().put("sub", "tester").put("scope", scope);
    JWTOptions options = new JWTOptions().setAlgorithm(keys.algorithm()).setIssuer(issuer).setAudience(List.of(audience));
    if (expiresInSeconds > 0) {
      options.setExpiresInSeconds(expiresInSeconds);
    } else {
      claims.put("exp", System.currentTimeMillis() / 1000 + expiresInSeconds);
    }
    return keys.signer().generateToken(claims, options);
  }

  private static String validToken(Keys keys, String scope) {
    return token(keys, scope, ISSUER, AUDIENCE, 300);
  }

  private static MarketplaceServer server(Vertx vertx, JsonObject key) {
    return TestServers.start(vertx, TestServers.config(key.put("jwtIssuer", ISSUER).put("jwtAudience", AUDIENCE)));
  }

  private static <Req, Resp> Future<Resp> call(Vertx vertx, MarketplaceServer server, ServiceMethod<Resp, Req> method, Req request,
                                               String token) {
    CallOptions options = token == null ? CallOptions.defaults() : CallOptions.defaults().withMetadata("authorization", "Bearer " + token);
    HttpClient client = TestClients.http2(vertx);
    SocketAddress address = TestServers.address(server);
    return ClientCall.call(client, address, method, options, 1 << 20, List.of(request)).map(result -> result.single());
  }

  private static GrpcStatus status(Future<?> call) {
    return await(call.transform(outcome -> Future.succeededFuture(
        outcome.succeeded() ? GrpcStatus.OK : statusOf(outcome.cause()))));
  }

  private static GrpcStatus statusOf(Throwable error) {
    return ((RpcException) error).status();
  }

  @Test
  void rs256TokensAreCheckedForSignatureIssuerAudienceExpiryAndScope(Vertx vertx) throws Exception {
    Keys keys = keys(vertx, "RSA", "RS256");
    MarketplaceServer server = server(vertx, new JsonObject().put("jwtPublicKey", keys.publicKeyFile().toString()));
    Product upload = Product.newBuilder().setId("z1").setName("Zed").setCategory("Z").build();

    assertEquals(GrpcStatus.OK, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001, validToken(keys, "catalog:read"))));
    assertEquals(GrpcStatus.UNAUTHENTICATED, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001, null)));
    assertEquals(GrpcStatus.UNAUTHENTICATED, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001, "not.a.jwt")));
    assertEquals(GrpcStatus.UNAUTHENTICATED, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001,
        token(keys, "catalog:read", ISSUER, AUDIENCE, -60))), "expired");
    assertEquals(GrpcStatus.UNAUTHENTICATED, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001,
        token(keys, "catalog:read", "https://other.test", AUDIENCE, 300))), "issuer");
    assertEquals(GrpcStatus.UNAUTHENTICATED, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001,
        token(keys, "catalog:read", ISSUER, "someone-else", 300))), "audience");
    assertEquals(GrpcStatus.UNAUTHENTICATED, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001,
        validToken(keys(vertx, "RSA", "RS256"), "catalog:read"))), "signed by another key");

    assertEquals(GrpcStatus.PERMISSION_DENIED, status(call(vertx, server, ProductServiceGrpcClient.UploadProducts, upload,
        validToken(keys, "catalog:read"))));
    assertEquals(GrpcStatus.OK, status(call(vertx, server, ProductServiceGrpcClient.UploadProducts, upload,
        validToken(keys, "catalog:read catalog:write"))));
    assertEquals(GrpcStatus.PERMISSION_DENIED, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001,
        validToken(keys, "catalog:write"))));
  }

  @Test
  void unsignedTokensAreRefused(Vertx vertx) throws Exception {
    Keys keys = keys(vertx, "RSA", "RS256");
    MarketplaceServer server = server(vertx, new JsonObject().put("jwtPublicKey", keys.publicKeyFile().toString()));
    String payload = new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("scope", "catalog:read")
        .put("exp", System.currentTimeMillis() / 1000 + 300).encode();
    String none = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64Url(payload) + ".";
    assertEquals(GrpcStatus.UNAUTHENTICATED, status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001, none)));
  }

  @Test
  void es256KeysAndHs256SecretsWorkToo(Vertx vertx) throws Exception {
    Keys ec = keys(vertx, "EC", "ES256");
    MarketplaceServer ecServer = server(vertx, new JsonObject().put("jwtPublicKey", ec.publicKeyFile().toString()));
    assertEquals(GrpcStatus.OK, status(call(vertx, ecServer, ProductServiceGrpcClient.GetProduct, P001, validToken(ec, "catalog:read"))));

    Path secretFile = Files.writeString(dir.resolve("secret"), "a-long-enough-test-secret-of-32-bytes!\n");
    MarketplaceServer hsServer = server(vertx, new JsonObject().put("jwtSecretFile", secretFile.toString()));
    JWTAuth hsSigner = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer("a-long-enough-test-secret-of-32-bytes!")));
    Keys hs = new Keys(secretFile, hsSigner, "HS256");
    assertEquals(GrpcStatus.OK, status(call(vertx, hsServer, ProductServiceGrpcClient.GetProduct, P001, validToken(hs, "catalog:read"))));
  }

  @Test
  void healthAndTheTutorialServicesStayOpenAndTokensAreNeverLogged(Vertx vertx) throws Exception {
    try (LogCapture logs = LogCapture.all()) {
      Keys keys = keys(vertx, "RSA", "RS256");
      MarketplaceServer server = server(vertx, new JsonObject().put("jwtPublicKey", keys.publicKeyFile().toString()));
      assertEquals(GrpcStatus.OK, status(call(vertx, server, HealthGrpcClient.Check, HealthCheckRequest.getDefaultInstance(), null)));
      assertEquals(GrpcStatus.OK, status(call(vertx, server, UnaryGrpcClient.GetServerResponse, Message.getDefaultInstance(), null)));
      String good = validToken(keys, "catalog:read");
      String bad = token(keys, "catalog:read", ISSUER, AUDIENCE, -60);
      status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001, good));
      status(call(vertx, server, ProductServiceGrpcClient.GetProduct, P001, bad));
      for (ILoggingEvent event : logs.events()) {
        String line = event.getFormattedMessage() + " " + event.getKeyValuePairs();
        assertFalse(line.contains(good) || line.contains(bad), "a token was logged: " + line);
      }
    }
  }

  @Test
  void aKeyNeedsAnIssuerAndAnAudience() throws IOException {
    Path secret = Files.writeString(dir.resolve("s"), "secret");
    com.marketplace.testing.CommandRun run = com.marketplace.testing.CommandRun.of("serve", "--jwt-secret-file", secret.toString());
    assertEquals(2, run.exitCode());
    assertEquals("error: config key 'jwtIssuer': required with 'jwtPublicKey' or 'jwtSecretFile'", run.err());
  }

  private static String base64Url(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
