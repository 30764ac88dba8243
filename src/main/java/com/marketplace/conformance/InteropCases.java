package com.marketplace.conformance;

import com.marketplace.client.CallOptions;
import com.marketplace.client.CallResult;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.grpc.testing.integration.UnimplementedServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The client side of grpc's interop test cases ({@code doc/interop-test-descriptions.md}), run with
 * our {@link ClientCall}s. Each case completes, or fails with the reason.
 */
public final class InteropCases {

  /** Largest message either side sends in these cases (very_large_request: 10 MiB). */
  public static final long MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  private static final int LARGE_REQUEST = 271_828;
  private static final int LARGE_RESPONSE = 314_159;
  private static final List<Integer> STREAM_REQUESTS = List.of(27_182, 8, 1_828, 45_904);
  private static final List<Integer> STREAM_RESPONSES = List.of(31_415, 9, 2_653, 58_979);
  private static final String ECHO_INITIAL_VALUE = "test_initial_metadata_value";
  /** The bytes 0xababab, base64-encoded as binary metadata is on the wire. */
  private static final String ECHO_TRAILING_VALUE = "q6ur";
  private static final String SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

  private final HttpClient client;
  private final SocketAddress server;
  private final Map<String, Supplier<Future<Void>>> cases = new LinkedHashMap<>();

  public InteropCases(HttpClient client, SocketAddress server) {
    this.client = client;
    this.server = server;
    cases.put("empty_unary", this::emptyUnary);
    cases.put("large_unary", this::largeUnary);
    cases.put("client_streaming", this::clientStreaming);
    cases.put("server_streaming", this::serverStreaming);
    cases.put("ping_pong", this::pingPong);
    cases.put("empty_stream", this::emptyStream);
    cases.put("custom_metadata", this::customMetadata);
    cases.put("status_code_and_message", this::statusCodeAndMessage);
    cases.put("special_status_message", this::specialStatusMessage);
    cases.put("unimplemented_method", this::unimplementedMethod);
    cases.put("unimplemented_service", this::unimplementedService);
    cases.put("cancel_after_begin", this::cancelAfterBegin);
    cases.put("cancel_after_first_response", this::cancelAfterFirstResponse);
    cases.put("timeout_on_sleeping_server", this::timeoutOnSleepingServer);
    cases.put("very_large_request", this::veryLargeRequest);
    cases.put("client_compressed_unary", this::clientCompressedUnary);
    cases.put("server_compressed_unary", this::serverCompressedUnary);
    cases.put("client_compressed_streaming", this::clientCompressedStreaming);
    cases.put("server_compressed_streaming", this::serverCompressedStreaming);
  }

  /** Every case, in the order they run for {@code all}. */
  public List<String> names() {
    return List.copyOf(cases.keySet());
  }

  public Future<Void> run(String name) {
    Supplier<Future<Void>> testCase = cases.get(name);
    if (testCase == null) {
      return Future.failedFuture(new IllegalArgumentException("unknown test case '" + name + "'"));
    }
    try {
      return testCase.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  Future<Void> emptyUnary() {
    return unary(TestServiceGrpcClient.EmptyCall, Empty.getDefaultInstance(), CallOptions.defaults())
        .map(result -> check(result.single().equals(Empty.getDefaultInstance()), "response is not empty"));
  }

  Future<Void> largeUnary() {
    return unary(TestServiceGrpcClient.UnaryCall, largeRequest().build(), CallOptions.defaults())
        .map(result -> checkSize(result.single().getPayload(), LARGE_RESPONSE));
  }

  Future<Void> clientStreaming() {
    List<StreamingInputCallRequest> requests = STREAM_REQUESTS.stream()
        .map(size -> StreamingInputCallRequest.newBuilder().setPayload(payload(size)).build()).toList();
    return ClientCall.call(client, server, TestServiceGrpcClient.StreamingInputCall, CallOptions.defaults(), MAX_MESSAGE_SIZE, requests)
        .map(result -> check(result.single().getAggregatedPayloadSize() == 74_922,
            "aggregated size " + result.single().getAggregatedPayloadSize() + " is not 74922"));
  }

  Future<Void> serverStreaming() {
    return streamingOutput(STREAM_RESPONSES, false);
  }

  Future<Void> serverCompressedStreaming() {
    // Per-message flags are not checked: vertx-grpc 5.0.7 servers compress a whole stream or none of it.
    return streamingOutput(List.of(31_415, 92_653), true);
  }

  private Future<Void> streamingOutput(List<Integer> sizes, boolean compressFirst) {
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    for (int i = 0; i < sizes.size(); i++) {
      request.addResponseParameters(ResponseParameters.newBuilder().setSize(sizes.get(i))
          .setCompressed(BoolValue.newBuilder().setValue(compressFirst && i == 0)));
    }
    return ClientCall.call(client, server, TestServiceGrpcClient.StreamingOutputCall, CallOptions.defaults(),
        MAX_MESSAGE_SIZE, List.of(request.build())).map(result -> {
          check(result.messages().size() == sizes.size(), result.messages().size() + " responses, expected " + sizes.size());
          for (int i = 0; i < sizes.size(); i++) {
            checkSize(result.messages().get(i).getPayload(), sizes.get(i));
          }
          return null;
        });
  }

  /** Sends one request, waits for its answer, four times; then half-closes. */
  Future<Void> pingPong() {
    Promise<StreamingOutputCallResponse>[] answers = promises(STREAM_REQUESTS.size());
    int[] received = {0};
    return ClientCall.start(client, server, TestServiceGrpcClient.FullDuplexCall, CallOptions.defaults(), MAX_MESSAGE_SIZE,
        (StreamingOutputCallResponse response) -> {
          if (received[0] < answers.length) {
            answers[received[0]++].complete(response);
          }
        }).compose(call -> {
          Future<Void> exchange = InTurn.each(IntStream.range(0, STREAM_REQUESTS.size()).iterator(), index -> {
            call.write(duplexRequest(STREAM_RESPONSES.get(index), STREAM_REQUESTS.get(index)));
            return Future.any(answers[index].future(), call.result()).compose(any -> answers[index].future())
                .map(answer -> checkSize(answer.getPayload(), STREAM_RESPONSES.get(index)));
          });
          return exchange.compose(v -> {
            call.end();
            return call.result();
          }).map(result -> check(result.messages().size() == STREAM_REQUESTS.size(), "extra responses after the last request"));
        });
  }

  Future<Void> emptyStream() {
    return ClientCall.call(client, server, TestServiceGrpcClient.FullDuplexCall, CallOptions.defaults(), MAX_MESSAGE_SIZE,
        List.<StreamingOutputCallRequest>of()).map(result -> check(result.messages().isEmpty(), "responses on an empty stream"));
  }

  Future<Void> customMetadata() {
    CallOptions options = CallOptions.defaults()
        .withMetadata(InteropTestService.ECHO_INITIAL, ECHO_INITIAL_VALUE)
        .withMetadata(InteropTestService.ECHO_TRAILING, ECHO_TRAILING_VALUE);
    Future<Void> unary = unary(TestServiceGrpcClient.UnaryCall, largeRequest().build(), options)
        .map(result -> checkEchoed(result));
    return unary.compose(v -> ClientCall.call(client, server, TestServiceGrpcClient.FullDuplexCall, options, MAX_MESSAGE_SIZE,
        List.of(duplexRequest(LARGE_RESPONSE, LARGE_REQUEST)))).map(result -> {
          checkSize(result.single().getPayload(), LARGE_RESPONSE);
          return checkEchoed(result);
        });
  }

  Future<Void> statusCodeAndMessage() {
    String message = "test status message";
    EchoStatus status = EchoStatus.newBuilder().setCode(GrpcStatus.UNKNOWN.code).setMessage(message).build();
    return expectStatus(unary(TestServiceGrpcClient.UnaryCall, SimpleRequest.newBuilder().setResponseStatus(status).build(),
            CallOptions.defaults()), GrpcStatus.UNKNOWN, message)
        .compose(v -> expectStatus(ClientCall.call(client, server, TestServiceGrpcClient.FullDuplexCall, CallOptions.defaults(),
            MAX_MESSAGE_SIZE, List.of(StreamingOutputCallRequest.newBuilder().setResponseStatus(status).build())), GrpcStatus.UNKNOWN, message));
  }

  Future<Void> specialStatusMessage() {
    EchoStatus status = EchoStatus.newBuilder().setCode(GrpcStatus.UNKNOWN.code).setMessage(SPECIAL_MESSAGE).build();
    return expectStatus(unary(TestServiceGrpcClient.UnaryCall, SimpleRequest.newBuilder().setResponseStatus(status).build(),
        CallOptions.defaults()), GrpcStatus.UNKNOWN, SPECIAL_MESSAGE);
  }

  Future<Void> unimplementedMethod() {
    return expectStatus(unary(TestServiceGrpcClient.UnimplementedCall, Empty.getDefaultInstance(), CallOptions.defaults()),
        GrpcStatus.UNIMPLEMENTED, null);
  }

  Future<Void> unimplementedService() {
    return expectStatus(unary(UnimplementedServiceGrpcClient.UnimplementedCall, Empty.getDefaultInstance(), CallOptions.defaults()),
        GrpcStatus.UNIMPLEMENTED, null);
  }

  Future<Void> cancelAfterBegin() {
    return ClientCall.start(client, server, TestServiceGrpcClient.StreamingInputCall, CallOptions.defaults(), MAX_MESSAGE_SIZE,
        (StreamingInputCallResponse response) -> { }).compose(call -> {
          call.cancel();
          return expectStatus(call.result(), GrpcStatus.CANCELLED, null);
        });
  }

  Future<Void> cancelAfterFirstResponse() {
    Promise<Void> first = Promise.promise();
    return ClientCall.start(client, server, TestServiceGrpcClient.FullDuplexCall, CallOptions.defaults(), MAX_MESSAGE_SIZE,
        (StreamingOutputCallResponse response) -> first.tryComplete()).compose(call -> {
          call.write(duplexRequest(31_415, 27_182));
          return Future.any(first.future(), call.result()).compose(v -> first.future()).compose(v -> {
            call.cancel();
            return expectStatus(call.result(), GrpcStatus.CANCELLED, null);
          });
        });
  }

  Future<Void> timeoutOnSleepingServer() {
    return ClientCall.start(client, server, TestServiceGrpcClient.FullDuplexCall,
        CallOptions.defaults().withTimeout(Duration.ofMillis(1)), MAX_MESSAGE_SIZE, (StreamingOutputCallResponse response) -> { })
        .compose(call -> {
          call.write(StreamingOutputCallRequest.newBuilder().setPayload(payload(27_182)).build());
          return expectStatus(call.result(), GrpcStatus.DEADLINE_EXCEEDED, null);
        });
  }

  Future<Void> veryLargeRequest() {
    SimpleRequest request = SimpleRequest.newBuilder().setResponseSize(10).setPayload(payload(10 * 1024 * 1024)).build();
    return unary(TestServiceGrpcClient.UnaryCall, request, CallOptions.defaults())
        .map(result -> checkSize(result.single().getPayload(), 10));
  }

  /** The server must refuse an uncompressed message said to be compressed, then take both kinds. */
  Future<Void> clientCompressedUnary() {
    SimpleRequest expectCompressed = largeRequest().setExpectCompressed(BoolValue.newBuilder().setValue(true)).build();
    SimpleRequest expectUncompressed = largeRequest().setExpectCompressed(BoolValue.newBuilder().setValue(false)).build();
    return expectStatus(unary(TestServiceGrpcClient.UnaryCall, expectCompressed, CallOptions.defaults()), GrpcStatus.INVALID_ARGUMENT, null)
        .compose(v -> unary(TestServiceGrpcClient.UnaryCall, expectCompressed, CallOptions.defaults().withCompression()))
        .map(result -> checkSize(result.single().getPayload(), LARGE_RESPONSE))
        .compose(v -> unary(TestServiceGrpcClient.UnaryCall, expectUncompressed, CallOptions.defaults()))
        .map(result -> checkSize(result.single().getPayload(), LARGE_RESPONSE));
  }

  Future<Void> serverCompressedUnary() {
    return unary(TestServiceGrpcClient.UnaryCall, largeRequest().setResponseCompressed(BoolValue.newBuilder().setValue(true)).build(),
        CallOptions.defaults())
        .map(result -> {
          checkSize(result.single().getPayload(), LARGE_RESPONSE);
          return check(result.compressed().get(0), "the response asked to be compressed was not");
        })
        .compose(v -> unary(TestServiceGrpcClient.UnaryCall, largeRequest().setResponseCompressed(BoolValue.newBuilder().setValue(false)).build(),
            CallOptions.defaults()))
        .map(result -> {
          checkSize(result.single().getPayload(), LARGE_RESPONSE);
          return check(!result.compressed().get(0), "the response asked to be uncompressed was compressed");
        });
  }

  /** A probe stream first (refused), then a stream of one compressed and one uncompressed message. */
  Future<Void> clientCompressedStreaming() {
    StreamingInputCallRequest probe = StreamingInputCallRequest.newBuilder().setPayload(payload(27_182))
        .setExpectCompressed(BoolValue.newBuilder().setValue(true)).build();
    StreamingInputCallRequest second = StreamingInputCallRequest.newBuilder().setPayload(payload(45_904))
        .setExpectCompressed(BoolValue.newBuilder().setValue(false)).build();
    CallOptions compressed = CallOptions.defaults().withCompression();
    return expectStatus(ClientCall.call(client, server, TestServiceGrpcClient.StreamingInputCall, CallOptions.defaults(),
            MAX_MESSAGE_SIZE, List.of(probe)), GrpcStatus.INVALID_ARGUMENT, null)
        .compose(v -> ClientCall.start(client, server, TestServiceGrpcClient.StreamingInputCall, compressed, MAX_MESSAGE_SIZE,
            (StreamingInputCallResponse response) -> { }))
        .compose(call -> {
          call.write(probe, true);
          call.write(second, false);
          call.end();
          return call.result();
        })
        .map(result -> check(result.single().getAggregatedPayloadSize() == 73_086,
            "aggregated size " + result.single().getAggregatedPayloadSize() + " is not 73086"));
  }

  private <Req, Resp> Future<CallResult<Resp>> unary(ServiceMethod<Resp, Req> method, Req request, CallOptions options) {
    return ClientCall.call(client, server, method, options, MAX_MESSAGE_SIZE, List.of(request));
  }

  private static <T> Future<Void> expectStatus(Future<T> call, GrpcStatus status, String message) {
    return call.transform(outcome -> {
      if (outcome.succeeded()) {
        return Future.failedFuture(new InteropFailure("expected " + status.name() + ", the call succeeded"));
      }
      if (!(outcome.cause() instanceof RpcException error)) {
        return Future.failedFuture(outcome.cause());
      }
      if (error.status() != status) {
        return Future.failedFuture(new InteropFailure("expected " + status.name() + ", got " + error.status().name() + " " + error.getMessage()));
      }
      if (message != null && !message.equals(error.getMessage())) {
        return Future.failedFuture(new InteropFailure("expected status message '" + message + "', got '" + error.getMessage() + "'"));
      }
      return Future.succeededFuture();
    });
  }

  private static Void checkEchoed(CallResult<?> result) {
    check(ECHO_INITIAL_VALUE.equals(result.headers().get(InteropTestService.ECHO_INITIAL)), "initial metadata not echoed");
    String trailing = result.trailers().get(InteropTestService.ECHO_TRAILING);
    return check(trailing != null && trailing.replace("=", "").equals(ECHO_TRAILING_VALUE), "trailing metadata not echoed: " + trailing);
  }

  private static Void checkSize(Payload payload, int size) {
    return check(payload.getBody().size() == size, "payload of " + payload.getBody().size() + " bytes, expected " + size);
  }

  private static Void check(boolean condition, String failure) {
    if (!condition) {
      throw new InteropFailure(failure);
    }
    return null;
  }

  private static SimpleRequest.Builder largeRequest() {
    return SimpleRequest.newBuilder().setResponseSize(LARGE_RESPONSE).setPayload(payload(LARGE_REQUEST));
  }

  private static StreamingOutputCallRequest duplexRequest(int responseSize, int payloadSize) {
    return StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(responseSize))
        .setPayload(payload(payloadSize)).build();
  }

  private static Payload payload(int size) {
    return Payloads.ofSize(size);
  }

  @SuppressWarnings("unchecked")
  private static <T> Promise<T>[] promises(int count) {
    Promise<T>[] promises = new Promise[count];
    for (int i = 0; i < count; i++) {
      promises[i] = Promise.promise();
    }
    return promises;
  }

  /** A case's expectation that did not hold. */
  public static final class InteropFailure extends RuntimeException {
    InteropFailure(String message) {
      super(message, null, false, false);
    }
  }
}
