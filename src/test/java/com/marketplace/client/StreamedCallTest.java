package com.marketplace.client;

import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiGrpcService;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Item;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streamed {@link ClientCall}s: a write after the end fails its future (vertx-grpc 5.0.7's client
 * threw), a connection survives many cancelled fast streams (a Vert.x 5.0.7 gap), and status
 * messages are decoded as gRPC specifies. {@link CallEndingsTest} has the endings.
 */
@ExtendWith(VertxExtension.class)
class StreamedCallTest {

  @Test
  void aWriteAfterTheCallEndedFailsItsFutureInsteadOfThrowing(Vertx vertx) {
    GrpcServer silent = GrpcServer.server(vertx);
    silent.callHandler(ApiGrpcService.getStream, request -> { });
    ClientCall<ApiRequest, Item> call = await(ClientCall.start(TestClients.http2(vertx), TestServers.serve(vertx, silent),
        ApiGrpcClient.getStream, CallOptions.defaults().withTimeout(Duration.ofMillis(100)), 1024, item -> { }));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, CallEndingsTest.failure(call.result()).status());

    Future<Void> lateWrite = assertDoesNotThrow(() -> call.write(ApiRequest.getDefaultInstance()));
    Future<Void> lateEnd = assertDoesNotThrow(() -> call.end());
    Future<Void> lateLastMessage = assertDoesNotThrow(() -> call.end(ApiRequest.getDefaultInstance()));
    assertThrows(Exception.class, lateWrite::await);
    assertThrows(Exception.class, lateEnd::await);
    assertThrows(Exception.class, lateLastMessage::await);
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

  @Test
  void statusMessagesArePercentDecodedAsGrpcSpecifies() {
    assertEquals("a+b c☺", StatusMessages.decode("a+b%20c%E2%98%BA"));
    assertEquals("100%zz", StatusMessages.decode("100%zz"));
    assertEquals("ends with %", StatusMessages.decode("ends with %"));
  }
}
