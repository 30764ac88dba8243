package com.marketplace.server;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.client.CallOptions;
import com.marketplace.client.CallResult;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: a connection the server ended (graceful stop, maximum age) while its client kept
 * starting calls on it lost every call in flight. Vert.x sent one GOAWAY naming the last stream
 * received; the DATA of a call the client had sent meanwhile was a protocol error to Netty, which
 * closed the connection. {@link GracefulGoAway} sends two GOAWAYs with a PING between, as grpc-java.
 */
@ExtendWith(VertxExtension.class)
class GracefulGoAwayTest {

  private static final int FLOODING_CALLS = 10;
  private static final int FRAME_HEADER = 9;
  private static final byte PING = 0x6;
  private static final byte GOAWAY = 0x7;
  private static final int ACK = 0x1;

  @Test
  void aStopLetsTheCallInFlightFinishWhileTheClientKeepsStartingCallsOnItsConnection(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    Flood flood = new Flood(vertx, TestClients.http2(vertx), TestServers.address(server));
    Future<CallResult<StreamingOutputCallResponse>> slow = flood.slowStream();
    await(flood.started());

    await(server.stop());
    flood.stop();

    assertEquals(1, await(slow).messages().size(), "the stream in flight finished");
    flood.assertOnly(GrpcStatus.OK, GrpcStatus.UNAVAILABLE);
  }

  @Test
  void aConnectionPastItsMaximumAgeLosesNoCall(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)
        .put("maxConnectionAgeSeconds", 1).put("maxConnectionAgeGraceSeconds", 10)));
    Flood flood = new Flood(vertx, TestClients.http2(vertx), TestServers.address(server));
    Future<CallResult<StreamingOutputCallResponse>> slow = flood.slowStream();

    assertEquals(1, await(slow).messages().size(), "the stream that outlived the connection's age finished");
    flood.stop();

    flood.assertOnly(GrpcStatus.OK);
  }

  /**
   * Regression: a stop waited the PING's whole wait (10 s) for a client that closed its connection
   * instead of answering, as Vert.x leaves a PING unanswered then; it took the test suite from 3 to
   * 7 minutes. Here the client answers no PING and closes once it reads the GOAWAY.
   */
  @Test
  void aStopDoesNotWaitForThePingOfAConnectionThatClosed(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("shutdownGraceSeconds", 60)));
    Promise<Void> toldToGoAway = Promise.promise();
    NetSocket client = silentClient(vertx, server, toldToGoAway);
    toldToGoAway.future().onSuccess(v -> client.close());

    Future<Void> stopped = server.stop();

    await(toldToGoAway.future());
    assertDoesNotThrow(() -> stopped.await(5, TimeUnit.SECONDS), "the stop waited for the PING");
  }

  @Test
  void aConnectionOpenedWhileAStopWaitsForAnotherIsToldToGoAwayAtOnce(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("shutdownGraceSeconds", 60)));
    // It never answers PINGs: the stop waits for it (up to 10 s) before it stops listening.
    Promise<Void> silentToldToGoAway = Promise.promise();
    NetSocket silent = silentClient(vertx, server, silentToldToGoAway);
    Future<Void> stopped = server.stop();
    await(silentToldToGoAway.future());

    NetSocket late = await(vertx.createNetClient().connect(TestServers.address(server)));
    Promise<Integer> lateGoAway = Promise.promise();
    Buffer received = Buffer.buffer();
    late.handler(bytes -> {
      received.appendBuffer(bytes);
      int lastStreamId = firstGoAwayLastStreamId(received);
      if (lastStreamId >= 0) {
        lateGoAway.tryComplete(lastStreamId);
      }
    });
    await(late.write(prefaceAndPing()));

    // The first of the two GOAWAYs, at once: Vert.x's single one would come only after the other's wait.
    assertEquals(Integer.MAX_VALUE, assertDoesNotThrow(() -> lateGoAway.future().await(5, TimeUnit.SECONDS)));
    assertFalse(stopped.isComplete(), "the stop no longer waits for the silent client");
    silent.close();
    late.close();
    assertDoesNotThrow(() -> stopped.await(5, TimeUnit.SECONDS));
  }

  /**
   * A raw HTTP/2 client the server has (its PING was answered) and that answers no PING itself;
   * {@code toldToGoAway} completes at the server's first GOAWAY.
   */
  private static NetSocket silentClient(Vertx vertx, MarketplaceServer server, Promise<Void> toldToGoAway) {
    NetSocket client = await(vertx.createNetClient().connect(TestServers.address(server)));
    Promise<Void> pingAnswered = Promise.promise();
    client.handler(bytes -> {
      if (hasFrame(bytes, PING, ACK)) {
        pingAnswered.tryComplete();
      }
      if (hasFrame(bytes, GOAWAY, 0)) {
        toldToGoAway.tryComplete();
      }
    });
    await(client.write(prefaceAndPing()));
    await(pingAnswered.future());
    return client;
  }

  /** A client's preface, empty SETTINGS, and a PING whose answer shows that the server has the connection. */
  private static Buffer prefaceAndPing() {
    return Buffer.buffer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").appendBytes(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0})
        .appendBytes(new byte[] {0, 0, 8, PING, 0, 0, 0, 0, 0}).appendLong(1);
  }

  /** The last stream id the first GOAWAY in {@code bytes} (whole frames from the start) names; -1 if none has come. */
  private static int firstGoAwayLastStreamId(Buffer bytes) {
    for (int at = 0; at + FRAME_HEADER <= bytes.length(); at += FRAME_HEADER + bytes.getUnsignedMedium(at)) {
      if (bytes.getUnsignedByte(at + 3) == GOAWAY && at + FRAME_HEADER + 4 <= bytes.length()) {
        return bytes.getInt(at + FRAME_HEADER) & Integer.MAX_VALUE;
      }
    }
    return -1;
  }

  /** Whether {@code bytes}, whole frames read from the start of one, hold a frame of {@code type} with {@code flags}. */
  private static boolean hasFrame(Buffer bytes, int type, int flags) {
    int at = 0;
    while (at + FRAME_HEADER <= bytes.length()) {
      if (bytes.getUnsignedByte(at + 3) == type && bytes.getUnsignedByte(at + 4) == flags) {
        return true;
      }
      at += FRAME_HEADER + bytes.getUnsignedMedium(at);
    }
    return false;
  }

  /** {@value #FLOODING_CALLS} unary calls at a time on one client, each started as the one before ends. */
  private static final class Flood {
    private final Vertx vertx;
    private final HttpClient http;
    private final SocketAddress address;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<GrpcStatus, Integer> statuses = new ConcurrentHashMap<>();
    private final Promise<Void> firstAnswered = Promise.promise();

    Flood(Vertx vertx, HttpClient http, SocketAddress address) {
      this.vertx = vertx;
      this.http = http;
      this.address = address;
      for (int i = 0; i < FLOODING_CALLS; i++) {
        vertx.runOnContext(v -> next());
      }
    }

    /** A server stream whose one message comes after 1.5 s. */
    Future<CallResult<StreamingOutputCallResponse>> slowStream() {
      return ClientCall.call(http, address, TestServiceGrpcClient.StreamingOutputCall, CallOptions.defaults(), 1 << 20,
          List.of(StreamingOutputCallRequest.newBuilder()
              .addResponseParameters(ResponseParameters.newBuilder().setSize(1).setIntervalUs(1_500_000)).build()));
    }

    Future<Void> started() {
      return firstAnswered.future();
    }

    void stop() {
      running.set(false);
    }

    void assertOnly(GrpcStatus... allowed) {
      assertTrue(statuses.getOrDefault(GrpcStatus.OK, 0) > 0, statuses.toString());
      assertTrue(List.of(allowed).containsAll(statuses.keySet()), statuses.toString());
    }

    private void next() {
      if (!running.get()) {
        return;
      }
      ClientCall.call(http, address, TestServiceGrpcClient.UnaryCall, CallOptions.defaults(), 1 << 20,
              List.of(SimpleRequest.newBuilder().setResponseSize(10).build()))
          .onComplete(ended -> {
            GrpcStatus status = ended.succeeded() ? GrpcStatus.OK
                : ended.cause() instanceof RpcException failure ? failure.status() : GrpcStatus.UNKNOWN;
            statuses.merge(status, 1, Integer::sum);
            firstAnswered.tryComplete();
            // On from a fresh task: a call refused at once would otherwise recurse.
            vertx.runOnContext(v -> next());
          });
    }
  }
}
