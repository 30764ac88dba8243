package com.marketplace.conformance;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import com.marketplace.observability.AccessLog;
import com.marketplace.testing.Eventually;
import com.marketplace.testing.LogCapture;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.junit5.VertxExtension;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: TestService chained one future per response it was asked for, so that a client that
 * cancelled a long stream made the failure run down the whole chain at once, and the server's event
 * loop overflowed its stack (found with grpc-js cancelling a stream of 1,000 responses).
 */
@ExtendWith(VertxExtension.class)
class InteropTestServiceTest {

  private static final ResponseParameters AT_ONCE = ResponseParameters.getDefaultInstance();
  /** Each waits a millisecond: the chain of a long stream is still pending when the client cancels. */
  private static final ResponseParameters PACED = ResponseParameters.newBuilder().setIntervalUs(1000).build();

  private SocketAddress server;

  @BeforeEach
  void start(Vertx vertx) {
    server = TestServers.address(TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"StreamingOutputCall", "FullDuplexCall", "HalfDuplexCall"})
  void aLongStreamIsSentWhole(String method, Vertx vertx) {
    try (LogCapture log = LogCapture.all()) {
      AtomicInteger received = new AtomicInteger();
      Future<Void> ended = stream(vertx, method(method), 20_000, AT_ONCE, call -> received.incrementAndGet());

      await(ended);
      assertEquals(20_000, received.get());
      assertEquals(List.of(), log.atLeast(Level.ERROR));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"StreamingOutputCall", "FullDuplexCall", "HalfDuplexCall"})
  void aLongStreamTheClientCancelsEndsCancelledWithNothingLogged(String method, Vertx vertx) {
    try (LogCapture log = LogCapture.all()) {
      Future<Void> ended = stream(vertx, method(method), 5_000, PACED, ClientCall::cancel);

      assertEquals(GrpcStatus.CANCELLED, ((RpcException) ended.transform(Future::succeededFuture).await().cause()).status());
      await(Eventually.until(vertx, () -> Future.succeededFuture(log.events().stream()
          .anyMatch(line -> line.getLoggerName().equals(AccessLog.LOGGER))), "the server's call to end"));
      assertEquals(List.of(), log.atLeast(Level.ERROR));
    }
  }

  private static ServiceMethod<StreamingOutputCallResponse, StreamingOutputCallRequest> method(String name) {
    return switch (name) {
      case "StreamingOutputCall" -> TestServiceGrpcClient.StreamingOutputCall;
      case "FullDuplexCall" -> TestServiceGrpcClient.FullDuplexCall;
      default -> TestServiceGrpcClient.HalfDuplexCall;
    };
  }

  private interface OnMessage {
    void received(ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call);
  }

  /** One request for {@code responses} empty responses, each sent as {@code parameters} say; completes with the call. */
  private Future<Void> stream(Vertx vertx, ServiceMethod<StreamingOutputCallResponse, StreamingOutputCallRequest> method,
                              int responses, ResponseParameters parameters, OnMessage onMessage) {
    StreamingOutputCallRequest request = StreamingOutputCallRequest.newBuilder()
        .addAllResponseParameters(Collections.nCopies(responses, parameters)).build();
    Promise<ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse>> started = Promise.promise();
    vertx.runOnContext(v -> ClientCall.start(TestClients.http2(vertx), server, method,
        CallOptions.defaults().withoutKeepingMessages(), 1 << 24,
        message -> started.future().onSuccess(onMessage::received)).onComplete(started));
    return started.future().compose(call -> call.end(request).compose(v -> call.result())).mapEmpty();
  }
}
