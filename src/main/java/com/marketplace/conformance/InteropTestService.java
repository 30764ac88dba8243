package com.marketplace.conformance;

import static io.grpc.testing.integration.TestServiceGrpcService.CacheableUnaryCall;
import static io.grpc.testing.integration.TestServiceGrpcService.EmptyCall;
import static io.grpc.testing.integration.TestServiceGrpcService.FullDuplexCall;
import static io.grpc.testing.integration.TestServiceGrpcService.HalfDuplexCall;
import static io.grpc.testing.integration.TestServiceGrpcService.SERVICE_DESCRIPTOR;
import static io.grpc.testing.integration.TestServiceGrpcService.SERVICE_NAME;
import static io.grpc.testing.integration.TestServiceGrpcService.StreamingInputCall;
import static io.grpc.testing.integration.TestServiceGrpcService.StreamingOutputCall;
import static io.grpc.testing.integration.TestServiceGrpcService.UnaryCall;

import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerCall;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code grpc.testing.TestService}, as grpc's interop test descriptions define it. UnimplementedCall
 * is left out on purpose: calling it must answer UNIMPLEMENTED.
 */
public final class InteropTestService {

  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";
  static final String SERVER_ID = "marketplace";

  public RpcService definition() {
    return RpcService.builder(SERVICE_NAME, SERVICE_DESCRIPTOR)
        .unary(EmptyCall, this::emptyCall)
        .unary(UnaryCall, this::unaryCall)
        .unary(CacheableUnaryCall, this::unaryCall)
        .serverStreaming(StreamingOutputCall, this::streamingOutputCall)
        .clientStreaming(StreamingInputCall, this::streamingInputCall)
        .bidiStreaming(FullDuplexCall, this::fullDuplexCall)
        .bidiStreaming(HalfDuplexCall, this::halfDuplexCall)
        .build();
  }

  /** Unary: an empty answer. */
  Future<Empty> emptyCall(Empty request, ServerCall<Empty, Empty> call) {
    echoMetadata(call);
    return Future.succeededFuture(Empty.getDefaultInstance());
  }

  /** Unary: a payload of {@code response_size}, compressed on request; or the requested status. */
  Future<SimpleResponse> unaryCall(SimpleRequest request, ServerCall<SimpleRequest, SimpleResponse> call) {
    echoMetadata(call);
    checkCompression(request.hasExpectCompressed(), request.getExpectCompressed(), call);
    RpcException requested = requestedStatus(request.getResponseStatus());
    if (requested != null) {
      return Future.failedFuture(requested);
    }
    if (request.getResponseCompressed().getValue()) {
      call.compressResponses();
    }
    SimpleResponse.Builder response = SimpleResponse.newBuilder().setPayload(Payloads.ofSize(request.getResponseSize()));
    if (request.getFillServerId()) {
      response.setServerId(SERVER_ID);
    }
    return Future.succeededFuture(response.build());
  }

  /** Server streaming: one payload per response parameter, each after its interval; then the requested status. */
  Future<Void> streamingOutputCall(StreamingOutputCallRequest request,
                                   ServerCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call) {
    echoMetadata(call);
    return respond(request, call);
  }

  /** Client streaming: the total size of the payloads received. */
  Future<StreamingInputCallResponse> streamingInputCall(ReadStream<StreamingInputCallRequest> requests,
                                                        ServerCall<StreamingInputCallRequest, StreamingInputCallResponse> call) {
    echoMetadata(call);
    Promise<StreamingInputCallResponse> done = Promise.promise();
    int[] total = {0};
    requests.handler(request -> {
      checkCompression(request.hasExpectCompressed(), request.getExpectCompressed(), call);
      total[0] += request.getPayload().getBody().size();
    });
    requests.exceptionHandler(done::tryFail);
    requests.endHandler(v -> done.tryComplete(StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total[0]).build()));
    return done.future();
  }

  /** Bidirectional: answers each request as {@link #streamingOutputCall} would, in order, as it arrives. */
  Future<Void> fullDuplexCall(ReadStream<StreamingOutputCallRequest> requests,
                              ServerCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call) {
    echoMetadata(call);
    Promise<Void> done = Promise.promise();
    requests.handler(request -> {
      // One request at a time, so that answers keep the order of the requests.
      requests.pause();
      respond(request, call).onSuccess(v -> requests.resume()).onFailure(done::tryFail);
    });
    requests.exceptionHandler(done::tryFail);
    requests.endHandler(v -> done.tryComplete());
    return done.future();
  }

  /** Bidirectional: buffers every request until the client half-closes, then answers them in order. */
  Future<Void> halfDuplexCall(ReadStream<StreamingOutputCallRequest> requests,
                              ServerCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call) {
    echoMetadata(call);
    List<StreamingOutputCallRequest> received = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    requests.handler(received::add);
    requests.exceptionHandler(ended::tryFail);
    requests.endHandler(ended::tryComplete);
    return ended.future().compose(v -> InTurn.each(received.iterator(), request -> respond(request, call)));
  }

  private static Future<Void> respond(StreamingOutputCallRequest request,
                                      ServerCall<?, StreamingOutputCallResponse> call) {
    if (request.getResponseParametersList().stream().anyMatch(p -> p.getCompressed().getValue())) {
      // vertx-grpc 5.0.7 compresses a whole response stream or none of it.
      call.compressResponses();
    }
    Future<Void> sent = InTurn.each(request.getResponseParametersList().iterator(),
        parameters -> after(call, parameters.getIntervalUs()).compose(v -> call.send(
            StreamingOutputCallResponse.newBuilder().setPayload(Payloads.ofSize(parameters.getSize())).build())));
    RpcException requested = requestedStatus(request.getResponseStatus());
    return requested == null ? sent : sent.compose(v -> Future.failedFuture(requested));
  }

  private static Future<Void> after(ServerCall<?, ?> call, int intervalMicros) {
    long millis = intervalMicros / 1000;
    return millis == 0 ? Future.succeededFuture() : call.vertx().timer(millis).mapEmpty();
  }

  private static RpcException requestedStatus(EchoStatus status) {
    return Payloads.requestedStatus(status.getCode(), status.getMessage());
  }

  /** The client says whether it compressed the message; a mismatch is INVALID_ARGUMENT. */
  private static void checkCompression(boolean stated, BoolValue expectCompressed, ServerCall<?, ?> call) {
    if (stated && expectCompressed.getValue() != call.lastRequestCompressed()) {
      throw RpcException.invalidArgument(expectCompressed.getValue()
          ? "Expected a compressed request message, got an uncompressed one"
          : "Expected an uncompressed request message, got a compressed one");
    }
  }

  /** Echoes the interop test metadata: the initial value in the response headers, the binary one in the trailers. */
  private static void echoMetadata(ServerCall<?, ?> call) {
    String initial = call.headers().get(ECHO_INITIAL);
    if (initial != null) {
      call.responseHeaders().set(ECHO_INITIAL, initial);
    }
    String trailing = call.headers().get(ECHO_TRAILING);
    if (trailing != null) {
      call.responseTrailers().set(ECHO_TRAILING, trailing);
    }
  }
}
