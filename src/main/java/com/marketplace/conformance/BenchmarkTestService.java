package com.marketplace.conformance;

import static com.marketplace.proto.benchmark.BenchmarkServiceGrpcService.SERVICE_DESCRIPTOR;
import static com.marketplace.proto.benchmark.BenchmarkServiceGrpcService.SERVICE_NAME;
import static com.marketplace.proto.benchmark.BenchmarkServiceGrpcService.StreamingBothWays;
import static com.marketplace.proto.benchmark.BenchmarkServiceGrpcService.StreamingCall;
import static com.marketplace.proto.benchmark.BenchmarkServiceGrpcService.StreamingFromClient;
import static com.marketplace.proto.benchmark.BenchmarkServiceGrpcService.StreamingFromServer;
import static com.marketplace.proto.benchmark.BenchmarkServiceGrpcService.UnaryCall;

import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerCall;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import java.util.Iterator;

/** {@code grpc.testing.BenchmarkService}, as grpc-java's qps AsyncServer serves it. */
public final class BenchmarkTestService {

  public RpcService definition() {
    return RpcService.builder(SERVICE_NAME, SERVICE_DESCRIPTOR)
        .unary(UnaryCall, this::unaryCall)
        .bidiStreaming(StreamingCall, this::streamingCall)
        .clientStreaming(StreamingFromClient, this::streamingFromClient)
        .serverStreaming(StreamingFromServer, this::streamingFromServer)
        .bidiStreaming(StreamingBothWays, this::streamingBothWays)
        .build();
  }

  /** Unary: a payload of {@code response_size}. */
  Future<SimpleResponse> unaryCall(SimpleRequest request, ServerCall<SimpleRequest, SimpleResponse> call) {
    return Future.succeededFuture(response(request));
  }

  /** Bidirectional ping-pong: one response per request. */
  Future<Void> streamingCall(ReadStream<SimpleRequest> requests, ServerCall<SimpleRequest, SimpleResponse> call) {
    return call.answerEach(requests, BenchmarkTestService::response);
  }

  /** Client streaming: one response, sized by the last request, once the client is done. */
  Future<SimpleResponse> streamingFromClient(ReadStream<SimpleRequest> requests, ServerCall<SimpleRequest, SimpleResponse> call) {
    Promise<SimpleResponse> done = Promise.promise();
    SimpleRequest[] last = {SimpleRequest.getDefaultInstance()};
    requests.handler(request -> last[0] = request);
    requests.exceptionHandler(done::tryFail);
    requests.endHandler(v -> done.tryComplete(response(last[0])));
    return done.future();
  }

  /** Server streaming: responses as fast as the client reads them, until it cancels. */
  Future<Void> streamingFromServer(SimpleRequest request, ServerCall<SimpleRequest, SimpleResponse> call) {
    return call.sendAll(new Repeat(response(request), new boolean[] {false}));
  }

  /** Bidirectional: responses as fast as the client reads them, until it half-closes. */
  Future<Void> streamingBothWays(ReadStream<SimpleRequest> requests, ServerCall<SimpleRequest, SimpleResponse> call) {
    boolean[] clientDone = {false};
    Promise<SimpleRequest> first = Promise.promise();
    requests.handler(first::tryComplete);
    requests.endHandler(v -> {
      clientDone[0] = true;
      first.tryComplete(SimpleRequest.getDefaultInstance());
    });
    return first.future().compose(request -> call.sendAll(new Repeat(response(request), clientDone)));
  }

  /** Empty when no size is asked for (no payload at all, as grpc-java's benchmark server answers): equal work on the wire. */
  private static SimpleResponse response(SimpleRequest request) {
    return request.getResponseSize() == 0 ? SimpleResponse.getDefaultInstance()
        : SimpleResponse.newBuilder().setPayload(Payloads.ofSize(request.getResponseSize())).build();
  }

  /** The same response over and over, until {@code stop[0]}. */
  private record Repeat(SimpleResponse response, boolean[] stop) implements Iterator<SimpleResponse> {
    @Override
    public boolean hasNext() {
      return !stop[0];
    }

    @Override
    public SimpleResponse next() {
      return response;
    }
  }
}
