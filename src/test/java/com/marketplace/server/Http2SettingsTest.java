package com.marketplace.server;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
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
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the server tells each HTTP/2 client: its limits, and PINGs to keep the connection alive. */
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
}
