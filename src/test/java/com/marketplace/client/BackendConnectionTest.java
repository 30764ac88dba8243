package com.marketplace.client;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.marketplace.grpc.ConnectionChannel;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.Hello;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.RawHttp2Peer;
import com.marketplace.testing.TestServers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BackendConnectionTest {

  private static final int HELD_CALLS = 50;
  private static final int FOLLOW_UPS = 4;
  private static final int STREAM_LIMIT = 10;
  /** A DATA frame on stream 0, which HTTP/2 makes a connection error. */
  private static final byte[] DATA_ON_STREAM_ZERO = {0, 0, 0, 0x0, 0, 0, 0, 0, 0};

  /**
   * Regression: an error of the connection, such as each write to a connection reset under calls in
   * flight, was logged by Vert.x as an ERROR (hundreds under load); the calls' own statuses say it.
   */
  @Test
  void aConnectionErrorFailsTheCallAndLogsNoError(Vertx vertx) {
    // Answers a request's headers with a frame that breaks the connection.
    SocketAddress server = RawHttp2Peer.serve(vertx, (socket, frame) -> {
      if (frame.type() == RawHttp2Peer.HEADERS) {
        socket.write(Buffer.buffer(DATA_ON_STREAM_ZERO));
      }
    });
    BackendConnection connection = connection(vertx, server);
    try (LogCapture log = LogCapture.of("io.vertx.core")) {
      Promise<Throwable> failed = Promise.promise();
      // On one context, as a connection is only ever used from its channel's.
      vertx.runOnContext(start -> sayHello(connection).onComplete(call -> failed.complete(call.cause())));
      Throwable failure = await(failed.future());

      assertEquals(GrpcStatus.UNAVAILABLE, ((RpcException) failure).status(), String.valueOf(failure));
      assertEquals(List.of(), log.atLeast(Level.ERROR));
    }
  }

  /**
   * Regression: a call made while Vert.x failed the calls of a connection whose socket had just closed
   * (a retry, or a closed loop's next call, as under {@code load} when a server stopped) went to that
   * connection. Vert.x kept one of its stream slots for each, and once they ran out, calls waited
   * forever, deadlines and all.
   */
  @Test
  void callsMadeAsAClosedConnectionFailsItsCallsGoToANewConnection(Vertx vertx) {
    AtomicReference<HttpConnection> first = new AtomicReference<>();
    AtomicInteger held = new AtomicInteger();
    // Holds the calls on the first connection, then closes it; answers the others NOT_FOUND.
    SocketAddress server = TestServers.serve(vertx, request -> {
      first.compareAndSet(null, request.connection());
      if (request.connection() != first.get()) {
        TestServers.answerTrailersOnly(request, GrpcStatus.NOT_FOUND);
      } else if (held.incrementAndGet() == HELD_CALLS) {
        ConnectionChannel.of(request.connection()).pipeline().firstContext().close(); // no GOAWAY first
      }
    });
    BackendConnection connection = connection(vertx, server);
    Promise<List<GrpcStatus>> heldEnded = Promise.promise();
    Promise<List<GrpcStatus>> followUpsEnded = Promise.promise();
    vertx.runOnContext(start -> {
      List<Future<GrpcStatus>> heldCalls = new ArrayList<>();
      List<Future<GrpcStatus>> followUps = new ArrayList<>();
      for (int i = 0; i < HELD_CALLS; i++) {
        heldCalls.add(status(sayHello(connection)).onComplete(ended -> {
          for (int j = 0; j < FOLLOW_UPS; j++) {
            followUps.add(status(sayHello(connection)));
          }
        }));
      }
      statuses(heldCalls).onComplete(heldEnded).onComplete(all -> statuses(followUps).onComplete(followUpsEnded));
    });

    assertEquals(List.of(GrpcStatus.UNAVAILABLE), await(heldEnded.future()).stream().distinct().toList());
    assertEquals(List.of(GrpcStatus.NOT_FOUND), await(followUpsEnded.future()).stream().distinct().toList());
  }

  /**
   * Regression: calls that Vert.x queued beyond the server's limit of concurrent streams waited
   * forever once the connection closed, as Vert.x fails them neither then nor on GOAWAY.
   */
  @Test
  void callsQueuedBeyondTheServersStreamLimitEndWhenTheConnectionCloses(Vertx vertx) {
    AtomicInteger held = new AtomicInteger();
    // Holds the calls, and closes the connection once it has as many as it allows.
    SocketAddress server = TestServers.serve(vertx, streamLimit(STREAM_LIMIT), request -> {
      if (held.incrementAndGet() == STREAM_LIMIT) {
        ConnectionChannel.of(request.connection()).pipeline().firstContext().close(); // no GOAWAY first
      }
    });
    BackendConnection connection = connection(vertx, server);
    Promise<List<GrpcStatus>> ended = Promise.promise();
    vertx.runOnContext(start -> {
      List<Future<GrpcStatus>> calls = new ArrayList<>();
      for (int i = 0; i < 3 * STREAM_LIMIT; i++) {
        calls.add(status(sayHello(connection)));
      }
      statuses(calls).onComplete(ended);
    });

    assertEquals(List.of(GrpcStatus.UNAVAILABLE), await(ended.future()).stream().distinct().toList());
  }

  /**
   * Regression: a call's deadline started only once Vert.x gave it a stream, so a call queued behind
   * the server's limit of concurrent streams waited as long as the calls ahead of it, and then its
   * whole timeout again.
   */
  @Test
  void aCallWaitingForAStreamFailsAtItsDeadlineAndItsLateStreamIsGivenBack(Vertx vertx) {
    Promise<Runnable> firstHeld = Promise.promise();
    BackendConnection connection = connection(vertx, oneStreamAtATime(vertx, firstHeld));
    Promise<GrpcStatus> first = Promise.promise();
    Promise<Throwable> queued = Promise.promise();
    vertx.runOnContext(start -> {
      status(sayHello(connection)).onComplete(first);
      sayHello(connection, CallOptions.defaults().withTimeout(Duration.ofMillis(200))).onComplete(call -> queued.complete(call.cause()));
    });

    RpcException expired = (RpcException) await(queued.future());
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, expired.status());
    // The call's time left once its connection was open.
    assertTrue(expired.getMessage().matches("Deadline exceeded after \\d+ ms waiting for a stream"), expired.getMessage());
    await(firstHeld.future()).run();
    assertEquals(GrpcStatus.NOT_FOUND, await(first.future()));
    Promise<GrpcStatus> next = Promise.promise();
    vertx.runOnContext(start -> status(sayHello(connection)).onComplete(next));
    assertEquals(GrpcStatus.NOT_FOUND, await(next.future()), "the one stream is free again");
  }

  /** Regression: a streamed call that ended before it sent anything kept its connection's stream slot for good. */
  @Test
  void aStreamedCallThatEndsBeforeSendingAnythingGivesItsStreamBack(Vertx vertx) {
    Promise<Runnable> holdNone = Promise.promise();
    holdNone.complete();
    BackendConnection connection = connection(vertx, oneStreamAtATime(vertx, holdNone));
    Promise<Throwable> silent = Promise.promise();
    vertx.runOnContext(start -> connection.start(ApiGrpcClient.sayHello, CallOptions.defaults().withTimeout(Duration.ofMillis(100)), hello -> { })
        .compose(ClientCall::result).onComplete(call -> silent.complete(call.cause())));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, ((RpcException) await(silent.future())).status());

    Promise<GrpcStatus> next = Promise.promise();
    vertx.runOnContext(start -> status(sayHello(connection)).onComplete(next));
    assertEquals(GrpcStatus.NOT_FOUND, await(next.future()), "the one stream is free again");
  }

  /**
   * A server that allows one stream at a time: holds the first call until {@code firstHeld}'s runnable
   * runs (none if it is complete already), and answers the others NOT_FOUND at once.
   */
  private static SocketAddress oneStreamAtATime(Vertx vertx, Promise<Runnable> firstHeld) {
    return TestServers.serve(vertx, streamLimit(1), request -> {
      Context context = Vertx.currentContext();
      Runnable answer = () -> context.runOnContext(v -> TestServers.answerTrailersOnly(request, GrpcStatus.NOT_FOUND));
      if (!firstHeld.tryComplete(answer)) {
        answer.run();
      }
    });
  }

  private static HttpServerOptions streamLimit(int streams) {
    return new HttpServerOptions().setInitialSettings(new Http2Settings().setMaxConcurrentStreams(streams));
  }

  private static Future<CallResult<Hello>> sayHello(BackendConnection connection, CallOptions options) {
    return connection.call(ApiGrpcClient.sayHello, options, List.of(HelloRequest.getDefaultInstance()));
  }

  private static Future<CallResult<Hello>> sayHello(BackendConnection connection) {
    return sayHello(connection, CallOptions.defaults());
  }

  private static Future<GrpcStatus> status(Future<?> call) {
    return call.transform(ended -> Future.succeededFuture(ended.succeeded() ? GrpcStatus.OK : ((RpcException) ended.cause()).status()));
  }

  private static Future<List<GrpcStatus>> statuses(List<Future<GrpcStatus>> calls) {
    return Future.all(calls).map(all -> all.<GrpcStatus>list());
  }

  /** A connection to {@code server}, named by its address. */
  private static BackendConnection connection(Vertx vertx, SocketAddress server) {
    return new BackendConnection(vertx, server, HostAndPort.create(server.host(), server.port()), null, 1024);
  }
}
