package com.marketplace.grpc;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.testing.Calls;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each interceptor that gives a call a message listener hears of every message, whoever else listens. */
@ExtendWith(VertxExtension.class)
class MessageListenerTest {

  /** Counts the messages of the calls it sees. */
  private static final class Counting implements ServerInterceptor, ServerCall.MessageListener {
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();

    @Override
    public void intercept(ServerCall<?, ?> call, Runnable proceed) {
      call.onMessages(this);
      proceed.run();
    }

    @Override
    public void received() {
      received.incrementAndGet();
    }

    @Override
    public void sent() {
      sent.incrementAndGet();
    }
  }

  @Test
  void everyListenerHearsOfEachMessageOfABidiStream(Vertx vertx) {
    Counting first = new Counting();
    Counting second = new Counting();
    SocketAddress server = TestServers.serveWith(vertx, TestServers.defaultServices(), List.of(first, second));
    List<GetProductRequest> requests = List.of("p001", "p404", "p004").stream()
        .map(id -> GetProductRequest.newBuilder().setProductId(id).build()).toList();

    Calls.Outcome<?> outcome = await(Calls.call(TestClients.http2(vertx), server, ProductServiceGrpcClient.LookupProducts, requests, 0));

    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals(3, outcome.messages().size());
    for (Counting counting : List.of(first, second)) {
      assertEquals(3, counting.received.get());
      assertEquals(3, counting.sent.get());
    }
  }
}
