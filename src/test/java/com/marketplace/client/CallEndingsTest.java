package com.marketplace.client;

import static com.marketplace.testing.TestServers.await;
import static com.marketplace.testing.TestServers.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import com.marketplace.grpc.GrpcTimeout;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiGrpcService;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Hello;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How a call with every request known ends, the same both ways {@link ClientCall} sends one: as a
 * whole call, all in one write ({@link ClientCall#call}, what a {@link BalancedChannel} makes), and
 * message by message on a started call.
 */
@ExtendWith(VertxExtension.class)
class CallEndingsTest {

  /** The two ways of sending a call's requests. */
  enum Way {
    WHOLE_CALL {
      @Override
      <Req, Resp> Future<CallResult<Resp>> call(Vertx vertx, SocketAddress server, ServiceMethod<Resp, Req> method,
                                                CallOptions options, long maxMessageSize, List<Req> requests) {
        return ClientCall.call(client(vertx, maxMessageSize), server, method, options, maxMessageSize, requests);
      }
    },
    MESSAGE_BY_MESSAGE {
      @Override
      <Req, Resp> Future<CallResult<Resp>> call(Vertx vertx, SocketAddress server, ServiceMethod<Resp, Req> method,
                                                CallOptions options, long maxMessageSize, List<Req> requests) {
        return ClientCall.start(client(vertx, maxMessageSize), server, method, options, maxMessageSize, message -> { })
            .compose(call -> {
              requests.forEach(call::write);
              call.end();
              return call.result();
            });
      }
    };

    private static HttpClient client(Vertx vertx, long maxMessageSize) {
      return TestClients.keep(Http2Clients.create(vertx, maxMessageSize));
    }

    abstract <Req, Resp> Future<CallResult<Resp>> call(Vertx vertx, SocketAddress server, ServiceMethod<Resp, Req> method,
                                                       CallOptions options, long maxMessageSize, List<Req> requests);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void theAnswersOfAServerStreamAreCollectedWithTheirStatus(Way way, Vertx vertx) {
    CallResult<Item> result = await(way.call(vertx, streamOf(vertx, 3), ApiGrpcClient.getStream, CallOptions.defaults(), 1024,
        List.of(ApiRequest.getDefaultInstance())));
    assertEquals(List.of(1, 2, 3), result.messages().stream().map(Item::getId).toList());
    assertEquals("0", result.trailers().get("grpc-status"));
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aStatusAfterMessagesFailsTheCallWithItsMessageFromTheTrailers(Way way, Vertx vertx) {
    SocketAddress server = oneItemThen(vertx, response -> response.status(GrpcStatus.ABORTED)
        .statusMessage("stopped after one: état 100%+").end());
    RpcException error = failure(getStream(way, vertx, server, CallOptions.defaults()));
    assertEquals(GrpcStatus.ABORTED, error.status());
    assertEquals("stopped after one: état 100%+", error.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void theDeadlineIsSentAndAnExpiredOneIsDeadlineExceededEvenWhenTheServerIgnoresIt(Way way, Vertx vertx) {
    AtomicReference<String> timeout = new AtomicReference<>();
    GrpcServer silent = GrpcServer.server(vertx);
    silent.callHandler(ApiGrpcService.getStream, request -> timeout.set(request.headers().get("grpc-timeout")));
    RpcException error = failure(getStream(way, vertx, serve(vertx, silent), CallOptions.defaults().withTimeout(Duration.ofMillis(200))));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, error.status());
    assertEquals(200, GrpcTimeout.millis(timeout.get()), timeout.get());
  }

  /**
   * Regression: a server whose deadline passes resets the stream (CANCEL), and a reset that came in
   * past the deadline but before the client's timer had run ended the call CANCELLED (seen against
   * grpc-java's interop server over TLS). It is DEADLINE_EXCEEDED, as in grpc-java's client. Here
   * the client's one event loop is kept busy over the deadline while the reset arrives; Netty then
   * reads the reset before it runs the timer.
   */
  @ParameterizedTest
  @EnumSource(Way.class)
  void aResetThatArrivesPastTheDeadlineBeforeTheTimerRunsIsDeadlineExceeded(Way way, Vertx vertx) {
    Promise<Void> received = Promise.promise();
    GrpcServer resetting = GrpcServer.server(vertx);
    resetting.callHandler(ApiGrpcService.getStream, request -> {
      received.tryComplete();
      vertx.setTimer(150, id -> request.response().cancel());
    });
    SocketAddress server = serve(vertx, resetting);
    Vertx client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      Future<CallResult<Item>> call = getStream(way, client, server, CallOptions.defaults().withTimeout(Duration.ofMillis(100)));
      await(received.future());
      client.runOnContext(v -> busyFor(Duration.ofMillis(300)));
      RpcException error = failure(call);
      assertEquals(GrpcStatus.DEADLINE_EXCEEDED, error.status());
      assertEquals("Deadline exceeded after 100 ms", error.getMessage());
    } finally {
      await(client.close());
    }
  }

  /** Keeps the calling thread, an event loop here, busy as a long handler would, not waiting for anything. */
  private static void busyFor(Duration time) {
    long end = System.nanoTime() + time.toNanos();
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  /** vertx-grpc gives a reset's code to the response's error handler, and its exception handler only "Stream was closed". */
  @ParameterizedTest
  @EnumSource(Way.class)
  void aStreamResetByTheServerAfterItsHeadersEndsWithTheResetsStatus(Way way, Vertx vertx) {
    RpcException error = failure(getStream(way, vertx, oneItemThen(vertx, GrpcServerResponse::cancel), CallOptions.defaults()));
    assertEquals(GrpcStatus.CANCELLED, error.status());
    assertEquals("Stream reset by the server: CANCELLED", error.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void metadataIsSentAndAnUnreachableServerIsUnavailableAndUnprocessed(Way way, Vertx vertx) {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(ApiGrpcService.sayHello, request -> request.handler(hello ->
        request.response().end(Hello.newBuilder().setMessage(request.headers().get("x-who")).build())));
    CallResult<Hello> result = await(way.call(vertx, serve(vertx, grpc), ApiGrpcClient.sayHello,
        CallOptions.defaults().withMetadata("x-who", "me"), 1024, List.of(HelloRequest.getDefaultInstance())));
    assertEquals("me", result.single().getMessage());

    RpcException unreachable = failure(way.call(vertx, SocketAddress.inetSocketAddress(1, "127.0.0.1"),
        ApiGrpcClient.sayHello, CallOptions.defaults(), 1024, List.of(HelloRequest.getDefaultInstance())));
    assertEquals(GrpcStatus.UNAVAILABLE, unreachable.status());
    assertTrue(unreachable.unprocessed());
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void richErrorDetailsAreReadBack(Way way, Vertx vertx) throws Exception {
    MarketplaceServer server = TestServers.start(vertx);
    RpcException error = failure(way.call(vertx, TestServers.address(server), ProductServiceGrpcClient.GetProduct,
        CallOptions.defaults(), 1024, List.of(GetProductRequest.getDefaultInstance())));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, error.status());
    assertEquals("product_id", error.details().get(0).unpack(BadRequest.class).getFieldViolations(0).getField());
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void compressedRequestsAreAnswered(Way way, Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx);
    CallResult<Product> result = await(way.call(vertx, TestServers.address(server), ProductServiceGrpcClient.GetProduct,
        CallOptions.defaults().withCompression(), 1024, List.of(GetProductRequest.newBuilder().setProductId("p001").build())));
    assertEquals("p001", result.single().getId());
  }

  /** Regression: over vertx-grpc this was UNAVAILABLE ("Connection failed"), and took the backend out of rotation. */
  @ParameterizedTest
  @EnumSource(Way.class)
  void anAnswerOverTheSizeLimitIsResourceExhausted(Way way, Vertx vertx) {
    RpcException error = failure(way.call(vertx, streamOf(vertx, 1), ApiGrpcClient.getStream, CallOptions.defaults(), 64,
        List.of(ApiRequest.getDefaultInstance())));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, error.status());
  }

  private static Future<CallResult<Item>> getStream(Way way, Vertx vertx, SocketAddress server, CallOptions options) {
    return way.call(vertx, server, ApiGrpcClient.getStream, options, 1024, List.of(ApiRequest.newBuilder().setLength(1).build()));
  }

  /** A getStream that answers {@code count} items of 100 bytes, numbered from 1. */
  private static SocketAddress streamOf(Vertx vertx, int count) {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(ApiGrpcService.getStream, request -> request.handler(message -> {
      for (int id = 1; id <= count; id++) {
        request.response().write(Item.newBuilder().setId(id).setName("x".repeat(100)).build());
      }
      request.response().end();
    }));
    return serve(vertx, grpc);
  }

  /** A getStream that answers one item, then ends its response with {@code ending}. */
  private static SocketAddress oneItemThen(Vertx vertx, Consumer<GrpcServerResponse<ApiRequest, Item>> ending) {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(ApiGrpcService.getStream, request -> request.handler(message -> {
      request.response().write(Item.newBuilder().setId(1).build());
      ending.accept(request.response());
    }));
    return serve(vertx, grpc);
  }

  static RpcException failure(Future<?> call) {
    try {
      call.await();
    } catch (Exception e) {
      return assertInstanceOf(RpcException.class, e);
    }
    throw new AssertionError("the call succeeded");
  }
}
