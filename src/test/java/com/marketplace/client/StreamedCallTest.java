package com.marketplace.client;

import com.marketplace.testing.LogCapture;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.marketplace.grpc.MessageCodec;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiGrpcService;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Item;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streamed {@link ClientCall}s: a write after the end fails its future (vertx-grpc 5.0.7's client
 * threw), a cancelled call gets no further message, a message handler that throws cancels the call,
 * a connection survives many cancelled fast streams (a Vert.x 5.0.7 gap), and status messages are
 * decoded as gRPC specifies. {@link CallEndingsTest} has the endings.
 */
@ExtendWith(VertxExtension.class)
class StreamedCallTest {

  /**
   * Writes after the end fail their futures, also those made as the call ends, before the reset of a
   * stream whose headers had not gone out (which waits for them) has reached the stream.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aWriteAfterTheCallEndedFailsItsFutureInsteadOfThrowing(boolean asTheCallEnds, Vertx vertx) {
    GrpcServer silent = GrpcServer.server(vertx);
    silent.callHandler(ApiGrpcService.getStream, request -> { });
    ClientCall<ApiRequest, Item> call = await(ClientCall.start(TestClients.http2(vertx), TestServers.serve(vertx, silent),
        ApiGrpcClient.getStream, CallOptions.defaults().withTimeout(Duration.ofMillis(100)), 1024, item -> { }));
    Promise<List<Future<Void>>> lateWrites = Promise.promise();
    if (asTheCallEnds) {
      call.result().onFailure(error -> lateWrites.complete(writesAndEnds(call)));
    }
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, CallEndingsTest.failure(call.result()).status());
    if (!asTheCallEnds) {
      lateWrites.complete(writesAndEnds(call));
    }
    for (Future<Void> late : await(lateWrites.future())) {
      assertThrows(Exception.class, late::await);
    }
  }

  private static List<Future<Void>> writesAndEnds(ClientCall<ApiRequest, Item> call) {
    return List.of(assertDoesNotThrow(() -> call.write(ApiRequest.getDefaultInstance())),
        assertDoesNotThrow(() -> call.end()), assertDoesNotThrow(() -> call.end(ApiRequest.getDefaultInstance())));
  }

  /**
   * Vert.x 5.0.7 gives client connections the server's reset-flood limit (eclipse-vertx/vert.x#5907):
   * the 201st STREAM_CLOSED reset in 30 s closes the connection. A client sends one for every frame
   * still in flight after it cancels a fast stream.
   */
  @Test
  void cancellingFastStreamsKeepsTheConnection(Vertx vertx) {
    Item large = Item.newBuilder().setName("x".repeat(1024)).build();
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(ApiGrpcService.getStream, request -> {
      AtomicBoolean reset = new AtomicBoolean();
      request.errorHandler(error -> reset.set(true))
          .handler(message -> streamUntilReset(request.response(), large, reset))
          .endHandler(end -> request.response().end());
    });
    AtomicInteger connections = new AtomicInteger();
    int port = await(vertx.createHttpServer(new HttpServerOptions().setHttp2RstFloodMaxRstFramePerWindow(100_000))
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(grpc).listen(0, "127.0.0.1")).actualPort();
    SocketAddress server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    // A window as large as the channel's, so that a cancel leaves plenty of frames in flight.
    HttpClient client = TestClients.keep(Http2Clients.create(vertx, 4 << 20));
    for (int i = 0; i < 5; i++) {
      AtomicReference<ClientCall<ApiRequest, Item>> call = new AtomicReference<>();
      call.set(await(ClientCall.start(client, server, ApiGrpcClient.getStream, CallOptions.defaults(), 4096,
          item -> call.get().cancel())));
      call.get().write(ApiRequest.getDefaultInstance());
      assertEquals(GrpcStatus.CANCELLED, CallEndingsTest.failure(call.get().result()).status(), "call " + i);
    }
    await(ClientCall.call(client, server, ApiGrpcClient.getStream, CallOptions.defaults(), 1024, List.of()));
    assertEquals(1, connections.get(), "connections the client opened");
  }

  private static void streamUntilReset(GrpcServerResponse<ApiRequest, Item> response, Item item, AtomicBoolean reset) {
    while (!response.writeQueueFull() && !reset.get()) {
      response.write(item);
    }
    if (!reset.get()) {
      response.drainHandler(v -> streamUntilReset(response, item, reset));
    }
  }

  /**
   * A call cancelled in its message handler sees no more messages, not even those that came in the
   * same DATA frame: its end is CANCELLED, as its result says.
   */
  @Test
  void aCancelledCallDeliversNoFurtherMessages(Vertx vertx) {
    Promise<Void> resetSeen = Promise.promise();
    Handler<HttpServerRequest> twoItemsInOneFrame = request -> {
      request.response().exceptionHandler(error -> resetSeen.tryComplete());
      request.response().putHeader("content-type", "application/grpc").write(MessageCodec.framed(List.of(
          itemNamed("first"), itemNamed("second"))));
    };
    List<String> delivered = new CopyOnWriteArrayList<>();
    AtomicReference<ClientCall<ApiRequest, Item>> call = new AtomicReference<>();
    call.set(await(ClientCall.start(TestClients.http2(vertx), TestServers.serve(vertx, twoItemsInOneFrame),
        ApiGrpcClient.getStream, CallOptions.defaults(), 1024, item -> {
          delivered.add(item.getName());
          call.get().cancel();
        })));
    call.get().end(ApiRequest.getDefaultInstance());
    assertEquals(GrpcStatus.CANCELLED, CallEndingsTest.failure(call.get().result()).status());
    await(resetSeen.future());
    assertEquals(List.of("first"), delivered);
  }

  /** As grpc-java does: the call is cancelled and the failure logged, rather than messages going missing unnoticed. */
  @Test
  void aMessageHandlerThatThrowsCancelsTheCall(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    AtomicInteger delivered = new AtomicInteger();
    try (LogCapture log = LogCapture.of(ClientCall.class.getName())) {
      ClientCall<ApiRequest, Item> call = await(ClientCall.start(TestClients.http2(vertx), server, ApiGrpcClient.getStream,
          CallOptions.defaults(), 1024, item -> {
            delivered.incrementAndGet();
            throw new IllegalStateException("a bug in the handler");
          }));
      call.end(ApiRequest.newBuilder().setLength(1000).build());
      RpcException failure = CallEndingsTest.failure(call.result());
      assertEquals(GrpcStatus.CANCELLED, failure.status());
      assertEquals("Failed to read message: java.lang.IllegalStateException: a bug in the handler", failure.getMessage());
      assertEquals(1, delivered.get());
      assertEquals("a bug in the handler", log.events().get(0).getThrowableProxy().getMessage());
    }
  }

  private static GrpcMessage itemNamed(String name) {
    return GrpcMessage.message(MessageCodec.IDENTITY, Buffer.buffer(Item.newBuilder().setName(name).build().toByteArray()));
  }
}
