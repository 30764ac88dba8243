package com.marketplace.server;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpcClient;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the server tells each HTTP/2 client: its limits, PINGs to keep the connection alive, and a
 * GOAWAY when the connection has had no calls for the idle timeout or is past its maximum age.
 */
@ExtendWith(VertxExtension.class)
class Http2SettingsTest {

  @Test
  void theConfiguredLimitsAreAdvertisedAndTheServerPings(Vertx vertx) {
    int port = TestServers.start(vertx, TestServers.config(new JsonObject()
        .put("maxConcurrentStreams", 7).put("streamWindowBytes", 2_000_000).put("keepAliveSeconds", 1))).port();
    Promise<HttpConnection> pinged = Promise.promise();
    TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
        .request(HttpMethod.GET, port, "127.0.0.1", "/v1/products/p001")
        .onSuccess(request -> {
          HttpConnection connection = request.connection();
          connection.pingHandler(ping -> pinged.tryComplete(connection));
          request.send();
        });
    // A PING comes after the SETTINGS exchange, so the server's settings are known by then.
    Http2Settings settings = await(pinged.future()).remoteSettings();
    assertEquals(7, settings.getMaxConcurrentStreams());
    assertEquals(2_000_000, settings.getInitialWindowSize());
  }

  @Test
  void aConnectionPastItsMaximumAgeIsAskedToGoAwayAndItsCallStillEnds(Vertx vertx) {
    int port = TestServers.start(vertx, TestServers.config(new JsonObject()
        .put("maxConnectionAgeSeconds", 1).put("maxConnectionAgeGraceSeconds", 5))).port();
    Promise<GoAway> goneAway = Promise.promise();
    HttpClientRequest request = await(TestClients.http(vertx, new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
        .request(HttpMethod.GET, port, "127.0.0.1", "/v1/products/p001"));
    request.connection().goAwayHandler(goneAway::tryComplete);
    request.putHeader("content-type", "application/json");

    assertEquals(200, await(request.send()).statusCode());
    assertEquals(0, await(goneAway.future()).getErrorCode());
  }

  /** Regression: Vert.x's idle timeout counted the keep-alive PINGs as traffic, so it never closed such a connection. */
  @Test
  void aConnectionWithoutCallsForTheIdleTimeoutIsAskedToGoAwayAndClosedThoughPinged(Vertx vertx) {
    int port = TestServers.start(vertx, TestServers.config(new JsonObject()
        .put("idleTimeoutSeconds", 2).put("keepAliveSeconds", 1))).port();
    Promise<GoAway> goneAway = Promise.promise();
    Promise<Void> closed = Promise.promise();
    Promise<Void> pinged = Promise.promise();
    HttpClientRequest request = await(TestClients.http(vertx, new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
        .request(HttpMethod.GET, port, "127.0.0.1", "/v1/products/p001"));
    HttpConnection connection = request.connection();
    connection.goAwayHandler(goneAway::tryComplete);
    connection.closeHandler(v -> closed.tryComplete());
    connection.pingHandler(ping -> pinged.tryComplete());
    request.putHeader("content-type", "application/json");

    assertEquals(200, await(request.send()).statusCode());
    await(pinged.future());
    assertEquals(0, await(goneAway.future()).getErrorCode());
    await(closed.future());
  }

  @Test
  void aQuietCallKeepsItsConnectionPastTheIdleTimeout(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject()
        .put("idleTimeoutSeconds", 1).put("keepAliveSeconds", 0)));
    GrpcClientRequest<HealthCheckRequest, HealthCheckResponse> watch = await(TestClients.grpc(vertx)
        .request(TestServers.address(server), HealthGrpcClient.Watch));
    AtomicBoolean connectionEnded = new AtomicBoolean();
    watch.connection().goAwayHandler(goAway -> connectionEnded.set(true));
    watch.connection().closeHandler(v -> connectionEnded.set(true));
    Promise<Void> firstStatus = Promise.promise();
    watch.response().onSuccess(response -> response.handler(status -> firstStatus.tryComplete()));
    watch.end(HealthCheckRequest.getDefaultInstance());
    await(firstStatus.future());

    // Three idle timeouts with the watch open and nothing sent either way.
    await(vertx.timer(3_000));
    assertFalse(connectionEnded.get(), "the connection of an open call was closed as idle");
    assertFalse(watch.response().result().end().isComplete(), "the watch ended");
    watch.cancel();
  }
}
