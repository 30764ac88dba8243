package com.marketplace.grpc;

import ch.qos.logback.classic.Level;
import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiGrpcService;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Hello;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.proto.bidirectional.BidirectionalGrpcClient;
import com.marketplace.proto.bidirectional.BidirectionalGrpcService;
import com.marketplace.proto.bidirectional.Message;
import com.marketplace.testing.Calls;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.TestServers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcError;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every call ends with its true status, whatever its handler does. */
@ExtendWith(VertxExtension.class)
class ServerCallLifecycleTest {

  private static final int ENDLESS = 3;
  private static final int CLOSED_UNDER_IT = 4;
  private static final int CLOSED_UNDER_IT_THEN_DONE = 5;

  /** Calls that never finish by themselves report here how they ended. */
  private final Promise<GrpcStatus> endOfStuckCall = Promise.promise();
  /** The client has the first item of a stream whose connection the server then closes. */
  private final Promise<Void> firstItemTaken = Promise.promise();
  private final Promise<Void> serverConnectionClosed = Promise.promise();
  /** vertx-grpc's client, for tests that drive a call message by message. */
  private GrpcClient client;
  /** Our client layer's HTTP/2 client, for whole calls ({@link Calls}). */
  private HttpClient calls;
  private SocketAddress server;
  private HttpConnection serverConnection;

  /** Whether binary unary calls are answered on the HTTP request ({@link UnaryRoutes}), as the server does. */
  boolean unaryOnHttp() {
    return true;
  }

  /** The request handler for {@code services}: vertx-grpc's, with or without {@link UnaryRoutes} in front. */
  private Handler<HttpServerRequest> handlerOf(Vertx vertx, RpcService... services) {
    GrpcServer grpc = GrpcServer.server(vertx);
    List.of(services).forEach(grpc::addService);
    return unaryOnHttp() ? TestServers.routing(grpc, List.of(services)) : grpc;
  }

  @BeforeEach
  void start(Vertx vertx) {
    Handler<HttpServerRequest> handler = handlerOf(vertx,
        RpcService.builder(ApiGrpcService.SERVICE_NAME, ApiGrpcService.SERVICE_DESCRIPTOR)
            .unary(ApiGrpcService.sayHello, this::sayHello)
            .unary(ApiGrpcService.getAll, (request, call) -> {
              throw new IllegalStateException("a bug");
            })
            .serverStreaming(ApiGrpcService.getStream, this::getStream)
            .build(),
        RpcService.builder(BidirectionalGrpcService.SERVICE_NAME, BidirectionalGrpcService.SERVICE_DESCRIPTOR)
            .bidiStreaming(BidirectionalGrpcService.GetServerResponse, (requests, call) -> call.answerEach(requests, message -> {
              if (message.getMessage().equals("bug")) {
                throw new IllegalArgumentException("a bug in a stream handler");
              }
              return message;
            }))
            .build());
    HttpServer http = await(vertx.createHttpServer().requestHandler(handler).connectionHandler(connection -> {
      serverConnection = connection;
      connection.closeHandler(closed -> serverConnectionClosed.tryComplete());
    }).listen(0, "127.0.0.1"));
    server = SocketAddress.inetSocketAddress(http.actualPort(), "127.0.0.1");
    client = TestClients.grpc(vertx);
    calls = TestClients.http2(vertx);
  }

  /**
   * The HTTP/2 handler hears of the close in a later task: until then a call on the connection does
   * not know, as when Vert.x closes its server's connections on closing.
   */
  private void closeSocketUnderTheHttp2Handler() {
    ConnectionChannel.of(serverConnection).pipeline().firstContext().close();
  }

  /**
   * "fail" fails the future, "expected" fails with an RpcException, "closed under it" closes the
   * connection and then answers, "stuck" never answers.
   */
  private Future<Hello> sayHello(HelloRequest request, ServerCall<HelloRequest, Hello> call) {
    switch (request.getName()) {
      case "fail":
        return Future.failedFuture(new RuntimeException("unexpected"));
      case "expected":
        return Future.failedFuture(new RpcException(GrpcStatus.FAILED_PRECONDITION, "not now: état ✓ 100%"));
      case "closed under it":
        call.whenClosed().onSuccess(endOfStuckCall::tryComplete);
        closeSocketUnderTheHttp2Handler();
        return Future.succeededFuture(Hello.newBuilder().setMessage("too late").build());
      case "stuck":
        call.whenClosed().onSuccess(endOfStuckCall::tryComplete);
        return Promise.<Hello>promise().future();
      default:
        return Future.succeededFuture(Hello.newBuilder().setMessage(request.getName()).build());
    }
  }

  /**
   * length 1: fails after one item; length 2: fails before any; {@value #ENDLESS}: writes items as
   * fast as the client takes them until closed; {@value #CLOSED_UNDER_IT} and
   * {@value #CLOSED_UNDER_IT_THEN_DONE}: write one, and once the client has it close the connection,
   * then fail or end normally; otherwise writes one and waits until closed.
   */
  private Future<Void> getStream(ApiRequest request, ServerCall<ApiRequest, Item> call) {
    if (request.getLength() == 2) {
      return Future.failedFuture(new IllegalStateException("failed before the first item"));
    }
    if (request.getLength() == ENDLESS) {
      call.whenClosed().onSuccess(endOfStuckCall::tryComplete);
      return call.sendAll(Stream.generate(() -> Item.newBuilder().setId(1).setName("x".repeat(100)).build()).iterator());
    }
    call.write(Item.newBuilder().setId(1).build());
    if (request.getLength() == CLOSED_UNDER_IT || request.getLength() == CLOSED_UNDER_IT_THEN_DONE) {
      call.whenClosed().onSuccess(endOfStuckCall::tryComplete);
      Promise<Void> done = Promise.promise();
      Context context = Vertx.currentContext();
      firstItemTaken.future().onSuccess(taken -> context.runOnContext(v -> {
        closeSocketUnderTheHttp2Handler();
        if (request.getLength() == CLOSED_UNDER_IT) {
          call.fail(new RpcException(GrpcStatus.UNAVAILABLE, "Server is shutting down"));
        } else {
          done.complete();
        }
      }));
      return done.future();
    }
    if (request.getLength() == 1) {
      return Future.failedFuture(new IllegalStateException("failed mid-stream"));
    }
    call.whenClosed().onSuccess(endOfStuckCall::tryComplete);
    return Promise.<Void>promise().future();
  }

  private Outcome<Hello> hello(String name) {
    return await(Calls.call(calls, server, ApiGrpcClient.sayHello, HelloRequest.newBuilder().setName(name).build()));
  }

  @Test
  void aFailedUnaryFutureIsInternalWithAGenericMessage() {
    Outcome<Hello> outcome = hello("fail");
    assertEquals(GrpcStatus.INTERNAL, outcome.status());
    assertEquals("Internal server error", outcome.message());
  }

  @Test
  void aThrowingUnaryHandlerIsInternal() {
    assertEquals(GrpcStatus.INTERNAL, await(Calls.call(calls, server, ApiGrpcClient.getAll, ApiRequest.getDefaultInstance())).status());
  }

  @Test
  void anExpectedFailureKeepsItsStatusAndNonAsciiMessage() {
    Outcome<Hello> outcome = hello("expected");
    assertEquals(GrpcStatus.FAILED_PRECONDITION, outcome.status());
    assertEquals("not now: état ✓ 100%", outcome.message());
  }

  @Test
  void aStreamingHandlerFailingBeforeOrAfterItsFirstMessageEndsTheCallWithInternal() {
    Outcome<Item> before = await(Calls.call(calls, server, ApiGrpcClient.getStream, ApiRequest.newBuilder().setLength(2).build()));
    assertEquals(GrpcStatus.INTERNAL, before.status());
    assertEquals(0, before.messages().size());
    Outcome<Item> after = await(Calls.call(calls, server, ApiGrpcClient.getStream, ApiRequest.newBuilder().setLength(1).build()));
    assertEquals(GrpcStatus.INTERNAL, after.status());
    assertEquals(1, after.messages().size());
  }

  @Test
  void anExceptionInARequestStreamHandlerEndsTheCallWithInternal() {
    Outcome<Message> outcome = await(Calls.call(calls, server, BidirectionalGrpcClient.GetServerResponse,
        List.of(message("ok"), message("bug"), message("never answered")), 0));
    assertEquals(GrpcStatus.INTERNAL, outcome.status());
    assertEquals(List.of(message("ok")), outcome.messages());
  }

  @Test
  void theServerEnforcesTheClientsDeadlineAndTellsTheWorkToStop() {
    Outcome<Hello> outcome = await(Calls.call(calls, server, ApiGrpcClient.sayHello,
        List.of(HelloRequest.newBuilder().setName("stuck").build()), 300));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, outcome.status());
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, await(endOfStuckCall.future()));
  }

  @Test
  void aDeadlineEndsAStreamAfterItsFirstMessages() {
    Outcome<Item> outcome = await(Calls.call(calls, server, ApiGrpcClient.getStream, List.of(ApiRequest.getDefaultInstance()), 300));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, outcome.status());
    assertEquals(1, outcome.messages().size());
  }

  /**
   * Trailers would wait behind data the client does not read, so the stream is reset, and the
   * server's queue for it freed; before, the client waited for a status forever (and vertx-core
   * 5.0.7 logged a NullPointerException when the stream finally closed).
   */
  @Test
  void aDeadlineResetsTheStreamOfAClientThatReadsNothing(Vertx vertx) {
    Promise<GrpcError> reset = Promise.promise();
    // On the event loop, so that the handlers are in place before anything arrives (see TestClients).
    vertx.runOnContext(start -> client.request(server, ApiGrpcClient.getStream).compose(request -> {
      request.headers().set("grpc-timeout", "300m");
      return request.send(ApiRequest.newBuilder().setLength(ENDLESS).build());
    }).onSuccess(response -> response.errorHandler(reset::tryComplete).pause()));
    assertEquals(GrpcError.CANCELLED, await(reset.future()));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, await(endOfStuckCall.future()));
  }

  /**
   * Nobody is left to tell: the call ends CANCELLED and writes nothing. vertx-core 5.0.7 would queue
   * its trailers with no promise, and log a NullPointerException on dropping them.
   */
  @ParameterizedTest
  @ValueSource(ints = {CLOSED_UNDER_IT, CLOSED_UNDER_IT_THEN_DONE})
  void aStreamEndingOnAConnectionJustClosedEndsCancelledWithNoErrorLogged(int length, Vertx vertx) {
    // On the event loop, so that the handler is in place before the item arrives (see TestClients).
    assertEndsCancelledWithNoErrorLogged(() -> vertx.runOnContext(start -> client.request(server, ApiGrpcClient.getStream)
        .compose(request -> request.send(ApiRequest.newBuilder().setLength(length).build()))
        .onSuccess(response -> response.handler(item -> firstItemTaken.tryComplete()))));
  }

  @Test
  void aUnaryCallAnsweredOnAConnectionJustClosedEndsCancelledWithNoErrorLogged() {
    assertEndsCancelledWithNoErrorLogged(() -> client.request(server, ApiGrpcClient.sayHello)
        .compose(request -> request.send(HelloRequest.newBuilder().setName("closed under it").build())));
  }

  /** Starts a call that its server ends on a connection just closed; checks how it ended, and the log. */
  private void assertEndsCancelledWithNoErrorLogged(Runnable call) {
    try (LogCapture capture = LogCapture.all()) {
      call.run();
      assertEquals(GrpcStatus.CANCELLED, await(endOfStuckCall.future()));
      await(serverConnectionClosed.future());
      assertEquals(List.of(), capture.atLeast(Level.ERROR));
    }
  }

  @Test
  void aClientCancelStopsTheServersWork() {
    await(client.request(server, ApiGrpcClient.getStream).compose(request -> request.send(ApiRequest.getDefaultInstance())
        .compose(response -> {
          request.cancel();
          return endOfStuckCall.future();
        })).onSuccess(status -> assertEquals(GrpcStatus.CANCELLED, status)));
  }

  @Test
  void anAsynchronousInterceptorLosesNoUnaryRequest(Vertx vertx) {
    HttpServer http = await(vertx.createHttpServer().requestHandler(handlerOf(vertx,
        RpcService.builder(ApiGrpcService.SERVICE_NAME, ApiGrpcService.SERVICE_DESCRIPTOR)
            .unary(ApiGrpcService.sayHello, this::sayHello)
            .build()
            .withPolicy(CallPolicy.defaults().withInterceptors(List.of((call, proceed) -> vertx.setTimer(100, id -> proceed.run()))))))
        .listen(0, "127.0.0.1"));
    Outcome<Hello> outcome = await(Calls.call(calls, SocketAddress.inetSocketAddress(http.actualPort(), "127.0.0.1"),
        ApiGrpcClient.sayHello, HelloRequest.newBuilder().setName("late").build()));
    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals("late", outcome.messages().get(0).getMessage());
  }

  @Test
  void aClientCancelEndsAUnaryCallCancelled() {
    await(client.request(server, ApiGrpcClient.sayHello).compose(request -> {
      request.send(HelloRequest.newBuilder().setName("stuck").build());
      // Once the server holds the call (its headers answered nothing yet), the client resets it.
      return request.connection().ping(io.vertx.core.buffer.Buffer.buffer("12345678")).map(pong -> {
        request.cancel();
        return null;
      });
    }));
    assertEquals(GrpcStatus.CANCELLED, await(endOfStuckCall.future()));
  }

  /** vertx-grpc 5.0.7 rounds a grpc-timeout under a millisecond down to no deadline at all. */
  @Test
  void aDeadlineUnderAMillisecondStillRunsOut() {
    Promise<GrpcStatus> status = Promise.promise();
    client.request(server, ApiGrpcClient.sayHello).compose(request -> {
      request.headers().set("grpc-timeout", "900u");
      return request.send(HelloRequest.newBuilder().setName("stuck").build());
    }).onSuccess(response -> response.end().onComplete(v -> status.tryComplete(response.status())));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, await(status.future()));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, await(endOfStuckCall.future()));
  }

  /** The longest grpc-timeout there is, 99999999 hours, is a deadline like any other: calls are answered. */
  @Test
  void theLongestDeadlineThereIsLetsCallsBeAnswered(Vertx vertx) {
    Promise<Hello> hello = Promise.promise();
    Promise<Item> item = Promise.promise();
    // On the event loop, so that the handlers are in place before anything arrives (see TestClients).
    vertx.runOnContext(start -> {
      client.request(server, ApiGrpcClient.sayHello).compose(request -> {
        request.headers().set("grpc-timeout", "99999999H");
        return request.send(HelloRequest.newBuilder().setName("patient").build());
      }).compose(response -> response.last()).onComplete(hello);
      client.request(server, ApiGrpcClient.getStream).compose(request -> {
        request.headers().set("grpc-timeout", "99999999H");
        return request.send(ApiRequest.newBuilder().setLength(1).build());
      }).onSuccess(response -> response.handler(item::tryComplete));
    });
    assertEquals("patient", await(hello.future()).getMessage());
    assertEquals(1, await(item.future()).getId());
  }

  @Test
  void aUnaryCallWithoutARequestMessageIsInternal() {
    Outcome<Hello> outcome = await(Calls.call(calls, server, ApiGrpcClient.sayHello, List.of(), 0));
    assertEquals(GrpcStatus.INTERNAL, outcome.status());
    assertEquals("Half-closed without a request message", outcome.message());
  }

  @Test
  void aUnaryCallWithTwoRequestMessagesIsInternal() {
    HelloRequest request = HelloRequest.newBuilder().setName("twice").build();
    assertEquals(GrpcStatus.INTERNAL, await(Calls.call(calls, server, ApiGrpcClient.sayHello, List.of(request, request), 0)).status());
  }

  @Test
  void anInterceptorThatEndsTheCallKeepsTheHandlerFromRunning(Vertx vertx) {
    HttpServer http = await(vertx.createHttpServer().requestHandler(handlerOf(vertx,
        RpcService.builder(ApiGrpcService.SERVICE_NAME, ApiGrpcService.SERVICE_DESCRIPTOR)
            .unary(ApiGrpcService.sayHello, (request, call) -> Future.failedFuture(new AssertionError("handler ran")))
            .build()
            .withPolicy(CallPolicy.defaults().withInterceptors(List.of((call, proceed) -> vertx.setTimer(50, id -> call.fail(
                new RpcException(GrpcStatus.UNAUTHENTICATED, "no token"))))))))
        .listen(0, "127.0.0.1"));
    Outcome<Hello> outcome = await(Calls.call(calls, SocketAddress.inetSocketAddress(http.actualPort(), "127.0.0.1"),
        ApiGrpcClient.sayHello, HelloRequest.getDefaultInstance()));
    assertEquals(GrpcStatus.UNAUTHENTICATED, outcome.status());
    assertEquals("no token", outcome.message());
  }

  @Test
  void anAsynchronousInterceptorLosesNoRequestMessage(Vertx vertx) {
    HttpServer http = await(vertx.createHttpServer().requestHandler(handlerOf(vertx,
        RpcService.builder(BidirectionalGrpcService.SERVICE_NAME, BidirectionalGrpcService.SERVICE_DESCRIPTOR)
            .bidiStreaming(BidirectionalGrpcService.GetServerResponse, (requests, call) -> call.answerEach(requests, m -> m))
            .build()
            .withPolicy(CallPolicy.defaults().withInterceptors(List.of((call, proceed) -> vertx.setTimer(100, id -> proceed.run()))))))
        .listen(0, "127.0.0.1"));
    List<Message> sent = List.of(message("a"), message("b"), message("c"));
    Outcome<Message> outcome = await(Calls.call(calls, SocketAddress.inetSocketAddress(http.actualPort(), "127.0.0.1"),
        BidirectionalGrpcClient.GetServerResponse, sent, TimeUnit.SECONDS.toMillis(5)));
    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals(sent, outcome.messages());
    assertTrue(outcome.message() == null);
  }

  private static Message message(String text) {
    return Message.newBuilder().setMessage(text).build();
  }
}
