package com.marketplace.web;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.grpc.ServerCall;
import com.marketplace.proto.product.Product;
import com.marketplace.server.MarketplaceServices;
import com.marketplace.testing.StableValue;
import com.marketplace.testing.TestServers;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A browser that stops reading the live stream holds the product service back, and then gets everything. */
@ExtendWith(VertxExtension.class)
class LiveBackpressureTest {

  private static final int PRODUCTS = 10_000;
  /** 10,000 events of about 4 KiB: far more than the socket buffers and windows between browser and service. */
  private static final String DESCRIPTION = "x".repeat(4096);

  @Test
  void aPausedBrowserPausesTheGrpcStreamAndLosesNothing(Vertx vertx) {
    MarketplaceServices services = TestServers.defaultServices();
    for (int i = 0; i < PRODUCTS; i++) {
      services.products().put(Product.newBuilder().setId("bulk-" + i).setName("Item " + i).setDescription(DESCRIPTION)
          .setPrice(i).setCategory("Bulk").build());
    }
    AtomicReference<ServerCall<?, ?>> serviceCall = new AtomicReference<>();
    int backendPort = TestServers.serveWith(vertx, services, List.of((call, proceed) -> {
      if (call.methodName().endsWith("ListProductsByCategory")) {
        serviceCall.set(call);
      }
      proceed.run();
    })).port();
    int webPort = await(WebFrontEnd.start(vertx, WebFrontEndTest.config(backendPort, Duration.ofSeconds(60)))).port();

    Buffer received = Buffer.buffer();
    Promise<Void> ended = Promise.promise();
    // Paused in the callback that hands over the response, before any event can be delivered.
    HttpClientResponse response = await(TestClients.http(vertx).request(HttpMethod.GET, webPort, "127.0.0.1", "/live/Bulk/events")
        .compose(request -> request.send()
            .map(events -> events.pause().handler(received::appendBuffer).endHandler(ended::complete))));

    long sentWhilePaused = await(StableValue.of(vertx, () -> serviceCall.get() == null ? -1 : serviceCall.get().messagesSent()));
    assertTrue(sentWhilePaused >= 0 && sentWhilePaused < PRODUCTS / 2,
        "the service sent " + sentWhilePaused + " of " + PRODUCTS + " to a browser that reads nothing");

    response.resume();
    await(ended.future());
    String events = received.toString();
    assertEquals(PRODUCTS, new ShopBrowser.Page(200, response.headers(), events).count("event: product\n"));
    assertTrue(events.endsWith("event: end\ndata: {\"count\":" + PRODUCTS + "}\n\n"));
  }
}
