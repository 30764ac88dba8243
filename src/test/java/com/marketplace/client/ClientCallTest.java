package com.marketplace.client;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ClientCallTest {

  private static final ApiRequest THOUSAND_ITEMS = ApiRequest.newBuilder().setLength(1000).build();

  @Test
  void aResultKeepsTheMessagesByDefault(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    CallResult<Item> result = await(stream(vertx, server, CallOptions.defaults(), new AtomicInteger()));
    assertEquals(1000, result.messages().size());
  }

  /** A load run's stream lasts minutes: had the call kept its messages, the client's memory would grow with them. */
  @Test
  void aStreamReadThroughItsHandlerAloneKeepsNoMessages(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    AtomicInteger handled = new AtomicInteger();
    CallResult<Item> result = await(stream(vertx, server, CallOptions.defaults().withoutKeepingMessages(), handled));
    assertEquals(1000, handled.get());
    assertEquals(0, result.messages().size());
    assertEquals(0, result.compressed().size());
  }

  private static Future<CallResult<Item>> stream(Vertx vertx, SocketAddress server, CallOptions options,
                                                AtomicInteger handled) {
    return ClientCall.start(TestClients.http2(vertx), server, ApiGrpcClient.getStream, options, 1024,
        (Item item) -> handled.incrementAndGet()).compose(call -> {
          call.write(THOUSAND_ITEMS);
          call.end();
          return call.result();
        });
  }
}
